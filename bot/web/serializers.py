"""What the shop gets back: response models, and an ``Order`` turned into JSON.

Money travels as a string with two decimals (``"900.00"``), times as ISO 8601 in UTC. The same
models describe the responses in the OpenAPI document, so the document cannot drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from bot.domain.languages import Language
from bot.domain.orders import Carrier, OrderStatus, Payment
from bot.services.context import ServiceContext
from storage.models import Order, OrderEvent, OrderItem

CENT = Decimal("0.01")


def _money_text(value: Decimal) -> str:
    return f"{value.quantize(CENT):f}"


MoneyOut = Annotated[
    Decimal,
    PlainSerializer(_money_text, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["900.00"]}),
]


def _utc(value: datetime) -> datetime:
    # A fresh order still holds the shop's offset; one read back from storage holds UTC.
    return value.astimezone(UTC)


Timestamp = Annotated[AwareDatetime, AfterValidator(_utc), Field(description="ISO 8601, UTC.")]


class CustomerOut(BaseModel):
    phone: str = Field(description="E.164, e.g. +380501234567.")
    name: str
    linked: bool = Field(description="Whether the customer has opened the bot in Telegram.")


class ItemOut(BaseModel):
    sku: str | None
    name: str
    quantity: int
    price: MoneyOut
    returnable: bool


class DeliveryOut(BaseModel):
    carrier: Carrier
    city: str
    point: str | None
    address: str | None


class OrderOut(BaseModel):
    external_id: str
    status: OrderStatus
    telegram_link: str = Field(
        description="Send it to the customer: it opens this order in the bot."
    )
    customer: CustomerOut
    items: list[ItemOut]
    total: MoneyOut
    currency: str
    payment: Payment
    delivery: DeliveryOut
    language: Language | None
    created_at: Timestamp | None = Field(description="When the shop says the order was placed.")
    received_at: Timestamp = Field(description="When the bot received the order.")
    updated_at: Timestamp
    cancel_reason: str | None
    cancel_comment: str | None


class EventOut(BaseModel):
    kind: str = Field(description="created, status, …")
    from_status: OrderStatus | None
    to_status: OrderStatus | None
    source: str = Field(description="shop, customer, manager, system")
    reason: str | None
    comment: str | None
    occurred_at: Timestamp


class OrderWithHistoryOut(OrderOut):
    history: list[EventOut]


def order_out(order: Order, ctx: ServiceContext) -> OrderOut:
    return OrderOut.model_validate(_order_fields(order, ctx))


def order_json(order: Order, ctx: ServiceContext) -> dict[str, Any]:
    return order_out(order, ctx).model_dump(mode="json")


def order_with_history_json(
    order: Order, events: Sequence[OrderEvent], ctx: ServiceContext
) -> dict[str, Any]:
    fields = _order_fields(order, ctx)
    fields["history"] = [_event_fields(event) for event in events]
    return OrderWithHistoryOut.model_validate(fields).model_dump(mode="json")


def _order_fields(order: Order, ctx: ServiceContext) -> dict[str, Any]:
    customer = order.customer
    return {
        "external_id": order.external_id,
        "status": order.status,
        "telegram_link": ctx.deep_link(order.link_token),
        "customer": {"phone": customer.phone, "name": customer.name, "linked": customer.linked},
        "items": [_item_fields(item) for item in order.items],
        "total": order.total,
        "currency": order.currency,
        "payment": order.payment,
        "delivery": {
            "carrier": order.carrier,
            "city": order.city,
            "point": order.point,
            "address": order.address,
        },
        "language": order.language,
        "created_at": order.shop_created_at,
        "received_at": order.created_at,
        "updated_at": order.updated_at,
        "cancel_reason": order.cancel_reason,
        "cancel_comment": order.cancel_comment,
    }


def _item_fields(item: OrderItem) -> dict[str, Any]:
    return {
        "sku": item.sku,
        "name": item.name,
        "quantity": item.quantity,
        "price": item.price,
        "returnable": item.returnable,
    }


def _event_fields(event: OrderEvent) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "source": event.source,
        "reason": event.reason,
        "comment": event.comment,
        "occurred_at": event.occurred_at,
    }
