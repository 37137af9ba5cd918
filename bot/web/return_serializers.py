"""What the shop gets back about returns: response models, and a ``Return`` turned into JSON.

Money as ``"450.00"``, times as ISO 8601 UTC, like the orders. The customer's IBAN is masked here
as everywhere but the managers' card.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from bot.domain.orders import Carrier
from bot.domain.returns import Resolution, ReturnReason, ReturnStatus, mask_iban, return_number
from bot.domain.shipments import ShipmentStatus
from bot.web.pages import Page
from bot.web.serializers import MoneyOut, ShipmentEventResultOut, Timestamp, event_fields
from storage.models import Return, ReturnEvent


class ReturnCustomerOut(BaseModel):
    phone: str = Field(description="E.164, e.g. +380501234567.")
    name: str


class ReturnItemOut(BaseModel):
    sku: str | None
    name: str
    quantity: int = Field(description="How many of the order's line are returned.")
    price: MoneyOut = Field(description="The price of one, as ordered.")


class ReturnParcelOut(BaseModel):
    carrier: Carrier | None
    waybill: str | None = Field(
        description="The return parcel's waybill, once the customer gave it."
    )
    status: ShipmentStatus | None = Field(description="What the carrier last said about it.")


class ReturnOut(BaseModel):
    number: str = Field(description="The return's number, e.g. R-000123.", examples=["R-000123"])
    order: str = Field(description="The order's external_id.")
    status: ReturnStatus
    customer: ReturnCustomerOut
    items: list[ReturnItemOut]
    reason: ReturnReason
    reason_text: str | None = Field(description="The customer's words for the reason `other`.")
    comment: str | None = Field(description="The customer's comment.")
    resolution: Resolution = Field(description="What the customer asked for.")
    iban: str | None = Field(description="Masked, e.g. UA21 **** 6001.")
    account_holder: str | None
    exchange_wish: str | None
    photos: int = Field(description="How many photos the customer sent (managers see them).")
    parcel: ReturnParcelOut
    refund_amount: MoneyOut | None
    currency: str
    manager_note: str | None = Field(
        description="The last reason given for a rejection, or the last question asked."
    )
    decided_by: str | None = Field(description="The manager who approved or rejected it.")
    waiting_since: Timestamp | None = Field(
        description="Waiting on a manager since (null when not waiting on one)."
    )
    created_at: Timestamp
    updated_at: Timestamp


class ReturnEventOut(BaseModel):
    from_status: ReturnStatus | None
    to_status: ReturnStatus
    source: str = Field(description="shop, customer, manager, system")
    actor: str | None = Field(description="The person's name, for customers and managers.")
    comment: str | None
    occurred_at: Timestamp


class ReturnWithHistoryOut(ReturnOut):
    history: list[ReturnEventOut]


class ReturnListOut(Page):
    returns: list[ReturnOut] = Field(description="Oldest first.")


def return_json(return_: Return) -> dict[str, Any]:
    return ReturnOut.model_validate(_return_fields(return_)).model_dump(mode="json")


def return_with_history_json(return_: Return, events: Sequence[ReturnEvent]) -> dict[str, Any]:
    fields = _return_fields(return_)
    fields["history"] = [event_fields(event) for event in events]
    return ReturnWithHistoryOut.model_validate(fields).model_dump(mode="json")


def return_list_json(
    returns: Sequence[Return], *, next_after: str, has_more: bool
) -> dict[str, Any]:
    fields = {
        "returns": [_return_fields(one) for one in returns],
        "next_after": next_after,
        "has_more": has_more,
    }
    return ReturnListOut.model_validate(fields).model_dump(mode="json")


def return_parcel_event_json(return_: Return, *, applied: bool) -> dict[str, Any]:
    """A return parcel's event, answered in the shape of a shipment's (the same endpoint)."""
    fields = {
        "applied": applied,
        "shipment": {
            "carrier": return_.carrier or Carrier.other.value,
            "tracking_number": return_.waybill,
            "status": return_.parcel_status,
            "point": None,
            "expected_delivery": None,
            "storage_until": None,
            "cod_amount": None,
            "can_extend_storage": None,
            "arrived_at": None,
            "last_event_at": None,
            "order": return_.order.external_id,
        },
    }
    return ShipmentEventResultOut.model_validate(fields).model_dump(mode="json")


def _return_fields(return_: Return) -> dict[str, Any]:
    customer = return_.customer
    return {
        "number": return_number(return_.id),
        "order": return_.order.external_id,
        "status": return_.status,
        "customer": {"phone": customer.phone, "name": return_.order.recipient_name},
        "items": [
            {
                "sku": line.order_item.sku,
                "name": line.order_item.name,
                "quantity": line.quantity,
                "price": line.order_item.price,
            }
            for line in return_.items
        ],
        "reason": return_.reason,
        "reason_text": return_.reason_text,
        "comment": return_.comment,
        "resolution": return_.resolution,
        "iban": mask_iban(return_.iban) if return_.iban else None,
        "account_holder": return_.account_holder,
        "exchange_wish": return_.exchange_wish,
        "photos": len(return_.photos),
        "parcel": {
            "carrier": return_.carrier,
            "waybill": return_.waybill,
            "status": return_.parcel_status,
        },
        "refund_amount": return_.refund_amount,
        "currency": return_.order.currency,
        "manager_note": return_.manager_note,
        "decided_by": return_.decided_by_name,
        "waiting_since": return_.waiting_since,
        "created_at": return_.created_at,
        "updated_at": return_.updated_at,
    }
