"""The names of the events the shop receives: by webhook, and read back with ``GET /api/v1/events``.

A value is what the event's ``type`` (and ``event``) field carries and what is stored in the outbox;
it is part of the shop's contract, so a value never changes. Every member is listed in the README
("Events back to the shop"), and a test holds the two together.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final

from bot.domain.returns import ReturnStatus
from bot.domain.shipments import ShipmentStatus


class ShopEvent(StrEnum):
    """What happened: an event's ``type``."""

    # The customer pressed Confirm on the order's card.
    order_confirmed = "order.confirmed"
    # The customer cancelled in the chat, or the rating cancelled the order (reason "risk").
    order_cancelled = "order.cancelled"
    # The customer asked for a change to a new order (comment: their words).
    order_change_requested = "order.change_requested"
    # The customer chose another pickup point for a new order (point_ref: the carrier's id of
    # it, point: its description).
    order_delivery_changed = "order.delivery_changed"
    # The order waits too long unconfirmed and the chat cannot reach the customer: managers call.
    order_customer_unreachable = "order.customer_unreachable"
    # The parcel stopped moving (reason: the rule, ``not_shipped``, ``not_scanned``, ``in_transit``
    # or ``pickup_at_risk``); once per order and rule. The managers were told.
    order_stalled = "order.stalled"
    # The rating held a risky order (or a manager put it on hold) until someone decides.
    order_on_hold = "order.on_hold"
    # The rating, or a manager, asks for prepayment before shipping a risky order.
    order_prepayment_required = "order.prepayment_required"
    # A manager let a held order go ahead.
    order_approved = "order.approved"
    # The customer rated a received order (reason: the stars, "1" … "5").
    order_rated = "order.rated"
    # The customer said why they refused the parcel.
    order_refusal_reason = "order.refusal_reason"
    # A manager blacklisted the order's customer.
    customer_blacklisted = "customer.blacklisted"
    # The customer was erased; sent for every order of theirs.
    customer_erased = "customer.erased"

    # The carrier's news about the parcel, one per shipment status (``shipment.<status>``).
    # A waybill exists; the parcel is not handed over yet.
    shipment_created = "shipment.created"
    # The parcel is on its way.
    shipment_in_transit = "shipment.in_transit"
    # The parcel waits at a branch or a parcel locker.
    shipment_arrived = "shipment.arrived"
    # A courier could not deliver the parcel.
    shipment_delivery_failed = "shipment.delivery_failed"
    # The customer took the parcel.
    shipment_received = "shipment.received"
    # The customer refused the parcel.
    shipment_refused = "shipment.refused"
    # The parcel is on its way back to the shop.
    shipment_returning = "shipment.returning"
    # The parcel is back at the shop.
    shipment_returned = "shipment.returned"
    # Free storage at the branch is over; the parcel is about to go back.
    shipment_storage_ended = "shipment.storage_ended"
    # The customer said they cannot pick the parcel up (reason, comment).
    shipment_cannot_pick_up = "shipment.cannot_pick_up"
    # The customer asked to keep the parcel at the branch longer.
    shipment_storage_extension_requested = "shipment.storage_extension_requested"
    # The carrier extended the free storage at the customer's request (reason: the new last
    # free day; storage_free_until and storage_extension_cost beside it).
    shipment_storage_extended = "shipment.storage_extended"

    # A return moved, one per return status (``return.<status>``).
    # The customer asked to return items; it waits for a manager.
    return_requested = "return.requested"
    # A manager asked the customer something about the return.
    return_info_requested = "return.info_requested"
    # The customer answered the manager's question; the return waits for a manager again.
    return_info_provided = "return.info_provided"
    # A manager approved the return: the customer is to send it back.
    return_approved = "return.approved"
    # The customer gave the return parcel's waybill.
    return_shipped = "return.shipped"
    # The returned parcel is back at the shop.
    return_received = "return.received"
    # The returned items passed inspection: the refund is due.
    return_accepted = "return.accepted"
    # The money went back to the customer.
    return_refunded = "return.refunded"
    # A manager rejected the return, before or after inspection.
    return_rejected = "return.rejected"
    # The customer cancelled the return.
    return_cancelled = "return.cancelled"


E = ShopEvent
SHIPMENT_EVENTS: Final[Mapping[ShipmentStatus, ShopEvent]] = {
    ShipmentStatus.created: E.shipment_created,
    ShipmentStatus.in_transit: E.shipment_in_transit,
    ShipmentStatus.arrived: E.shipment_arrived,
    ShipmentStatus.delivery_failed: E.shipment_delivery_failed,
    ShipmentStatus.received: E.shipment_received,
    ShipmentStatus.refused: E.shipment_refused,
    ShipmentStatus.returning: E.shipment_returning,
    ShipmentStatus.returned: E.shipment_returned,
    ShipmentStatus.storage_ended: E.shipment_storage_ended,
}

RETURN_EVENTS: Final[Mapping[ReturnStatus, ShopEvent]] = {
    ReturnStatus.requested: E.return_requested,
    ReturnStatus.info_requested: E.return_info_requested,
    ReturnStatus.approved: E.return_approved,
    ReturnStatus.shipped: E.return_shipped,
    ReturnStatus.received: E.return_received,
    ReturnStatus.accepted: E.return_accepted,
    ReturnStatus.refunded: E.return_refunded,
    ReturnStatus.rejected: E.return_rejected,
    ReturnStatus.cancelled: E.return_cancelled,
}


def shipment_event(status: ShipmentStatus) -> ShopEvent:
    """What the shop hears when the parcel reaches ``status`` (``shipment.<status>``)."""
    return SHIPMENT_EVENTS[status]


def return_event(status: ReturnStatus) -> ShopEvent:
    """What the shop hears when a return moves to ``status`` (``return.<status>``)."""
    return RETURN_EVENTS[status]


# -- an event as the shop receives it --------------------------------------------------------


def event_id(outbox_id: int) -> str:
    """The event's id: the same on every retry of one delivery, and never containing a dot."""
    return f"evt_{outbox_id}"


def with_identity(body: dict[str, Any], msg_id: str) -> dict[str, Any]:
    """The payload as sent: its event id and type first (Standard Webhooks' ``type``; ``event``
    stays for receivers that read it)."""
    return {"id": msg_id, "type": body.get("event"), **body}
