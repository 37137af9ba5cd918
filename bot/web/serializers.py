"""What the shop gets back: response models, and an ``Order`` or a ``Shipment`` turned into JSON.

Money travels as a string with two decimals (``"900.00"``), times as ISO 8601 in UTC. The same
models describe the responses in the OpenAPI document, so the document cannot drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
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
from bot.domain.money import CENT
from bot.domain.orders import Carrier, OrderStatus, Payment
from bot.domain.risk import Assessment, ReasonKind, RiskLevel
from bot.domain.shipments import ShipmentStatus
from bot.services.context import ServiceContext
from bot.services.web_links import page_url_until
from bot.texts.risk import plain_text, reason_line
from storage.models import Order, OrderEvent, OrderItem, ReturnEvent, Shipment


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


class ShipmentOut(BaseModel):
    carrier: Carrier
    tracking_number: str
    status: ShipmentStatus | None = Field(description="null until the first event.")
    point: str | None = Field(description="Where the parcel waits, as last reported.")
    expected_delivery: date | None
    storage_until: date | None = Field(description="The last day the parcel is stored for free.")
    cod_amount: MoneyOut | None
    can_extend_storage: bool | None
    arrived_at: Timestamp | None
    last_event_at: Timestamp | None
    order: str = Field(description="The order's external_id.")


class ShipmentEventResultOut(BaseModel):
    applied: bool = Field(
        description=(
            "false: a repeat or an older event; the status did not change and nobody was told."
        )
    )
    shipment: ShipmentOut


class OrderOut(BaseModel):
    external_id: str
    status: OrderStatus
    telegram_link: str = Field(
        description="Send it to the customer: it opens this order in the bot."
    )
    web_link: str | None = Field(
        default=None,
        description="The order's web confirmation page, for a customer outside Telegram: works "
        "WEB_LINK_VALID from when the bot received the order. Null when the page is off "
        "(no WEB_LINK_SECRET or PUBLIC_URL).",
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
    shipment: ShipmentOut | None = Field(description="The parcel, once a waybill is attached.")


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


class RiskReasonOut(BaseModel):
    code: ReasonKind = Field(description="What the reason is about, for machines.")
    text: str = Field(description="The reason in words, in DEFAULT_LANGUAGE.")


class RiskOut(BaseModel):
    level: RiskLevel = Field(description="ok, risky or blacklisted.")
    score: int = Field(ge=0, le=100, description="0 (reliable) … 100 (riskiest).")
    reasons: list[RiskReasonOut]


class OrderCreatedOut(OrderOut):
    risk: RiskOut = Field(
        description=(
            "The customer's rating as the order came in (as it stands now, on a repeat); "
            "see the README, 'The customer rating'."
        )
    )


def order_created_json(
    order: Order, ctx: ServiceContext, shipment: Shipment | None, assessment: Assessment
) -> dict[str, Any]:
    t = ctx.catalogs(ctx.default_language)
    fields = _order_fields(order, ctx, shipment)
    fields["risk"] = {
        "level": assessment.level,
        "score": assessment.score,
        "reasons": [
            {"code": reason.kind, "text": plain_text(reason_line(t, reason))}
            for reason in assessment.reasons
        ],
    }
    return OrderCreatedOut.model_validate(fields).model_dump(mode="json")


def order_out(order: Order, ctx: ServiceContext, shipment: Shipment | None) -> OrderOut:
    return OrderOut.model_validate(_order_fields(order, ctx, shipment))


def order_json(order: Order, ctx: ServiceContext, shipment: Shipment | None) -> dict[str, Any]:
    return order_out(order, ctx, shipment).model_dump(mode="json")


def order_with_history_json(
    order: Order,
    events: Sequence[OrderEvent],
    ctx: ServiceContext,
    shipment: Shipment | None,
) -> dict[str, Any]:
    fields = _order_fields(order, ctx, shipment)
    fields["history"] = [event_fields(event) for event in events]
    return OrderWithHistoryOut.model_validate(fields).model_dump(mode="json")


def shipment_json(shipment: Shipment, order_external_id: str) -> dict[str, Any]:
    """``order_external_id`` is passed in: a shipment just created has not loaded its order."""
    fields = _shipment_fields(shipment, order_external_id)
    return ShipmentOut.model_validate(fields).model_dump(mode="json")


def shipment_event_json(shipment: Shipment, *, applied: bool) -> dict[str, Any]:
    """The shipment as read by ``record_shipment_event``, which loads its order with it."""
    fields = {
        "applied": applied,
        "shipment": _shipment_fields(shipment, shipment.order.external_id),
    }
    return ShipmentEventResultOut.model_validate(fields).model_dump(mode="json")


def _shipment_fields(shipment: Shipment, order_external_id: str) -> dict[str, Any]:
    paid_from = shipment.paid_storage_from
    return {
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "status": shipment.status,
        "point": shipment.point,
        "expected_delivery": shipment.expected_delivery,
        # Storage counts the first paid day; the shop reads the last free one.
        "storage_until": paid_from - timedelta(days=1) if paid_from else None,
        "cod_amount": shipment.cod_amount,
        "can_extend_storage": shipment.can_extend_storage,
        "arrived_at": shipment.arrived_at,
        "last_event_at": shipment.last_event_at,
        "order": order_external_id,
    }


def _order_fields(order: Order, ctx: ServiceContext, shipment: Shipment | None) -> dict[str, Any]:
    customer = order.customer
    return {
        "external_id": order.external_id,
        "status": order.status,
        "telegram_link": ctx.deep_link(order.link_token),
        "web_link": page_url_until(ctx, order, order.created_at + ctx.web_link_valid),
        "customer": {
            "phone": customer.phone,
            "name": order.recipient_name,
            "linked": customer.linked,
        },
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
        "shipment": _shipment_fields(shipment, order.external_id) if shipment else None,
    }


def _item_fields(item: OrderItem) -> dict[str, Any]:
    return {
        "sku": item.sku,
        "name": item.name,
        "quantity": item.quantity,
        "price": item.price,
        "returnable": item.returnable,
    }


def event_fields(event: OrderEvent | ReturnEvent) -> dict[str, Any]:
    """One entry of a history: an order's says what kind and why, a return's who moved it."""
    fields: dict[str, Any] = {
        "from_status": event.from_status,
        "to_status": event.to_status,
        "source": event.source,
        "comment": event.comment,
        "occurred_at": event.occurred_at,
    }
    if isinstance(event, OrderEvent):
        fields.update(kind=event.kind, reason=event.reason)
    else:
        fields["actor"] = event.actor_name
    return fields
