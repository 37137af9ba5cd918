"""A platform's order held to the same rules as one sent to ``POST /api/v1/orders``: whatever a
connector read, nothing longer, emptier or stranger than the shop API takes reaches the database."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import ValidationError

from bot.connectors.base import InvalidInbound, RemoteOrder
from bot.domain.new_order import NewOrder
from bot.web.errors import field_errors
from bot.web.schemas import OrderIn


def validated(remote: RemoteOrder) -> RemoteOrder:
    """``remote`` with its order checked and normalised; raise InvalidInbound naming the field."""
    if remote.order is None:
        return remote
    try:
        checked = OrderIn.model_validate(_as_api_body(remote.order))
    except ValidationError as error:
        first = field_errors(error)[0]
        raise InvalidInbound(first.field, first.message) from None
    return replace(remote, order=checked.to_new_order())


def _as_api_body(order: NewOrder) -> dict[str, Any]:
    return {
        "external_id": order.external_id,
        "customer": {"phone": order.phone, "name": order.customer_name},
        "items": [
            {
                "sku": item.sku,
                "name": item.name,
                "quantity": item.quantity,
                "price": str(item.price),
                "returnable": item.returnable,
            }
            for item in order.items
        ],
        "total": str(order.total),
        "currency": order.currency,
        "payment": order.payment.value,
        "delivery": {
            "carrier": order.carrier.value,
            "city": order.city,
            "point": order.point,
            "address": order.address,
        },
        "language": order.language.value if order.language else None,
        "created_at": order.created_at.isoformat() if order.created_at else None,
    }
