"""The kinds of things that happen to an order: ``order_events.kind``, its history.

A value is stored, counted by the rating, /stats and the reports, and written by the importer of
past orders, so a value never changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from bot.domain.feedback import FeedbackKind


class OrderEventKind(StrEnum):
    created = "created"  # the shop sent the order (to_status: its first status)
    status = "status"  # the order moved (from_status → to_status)
    linked = "linked"  # the customer opened the bot: their chat now gets the order
    reminded = "reminded"  # the customer was reminded to confirm
    escalated = "escalated"  # the managers were asked to call (reason: why the chat failed)
    call_taken = "call_taken"  # a manager took that call
    change_requested = "change_requested"  # the customer asked for a change (comment)
    risk_approved = "risk_approved"  # a manager approved a risky order that was not held
    carrier_status = "carrier_status"  # carrier news the order could not follow (comment: it)
    # The customer chose another pickup point (comment: the point and the carrier's ref).
    point_changed = "point_changed"
    # The customer's answers about the parcel, each beside a ``feedback`` row of the same kind.
    rating = "rating"
    refusal = "refusal"
    cannot_pick_up = "cannot_pick_up"
    pickup_promise = "pickup_promise"
    storage_extension = "storage_extension"
    # The carrier extended the free storage (reason: the new last free day; comment: the terms).
    storage_extended = "storage_extended"


FEEDBACK_EVENTS: Final[Mapping[FeedbackKind, OrderEventKind]] = {
    FeedbackKind.rating: OrderEventKind.rating,
    FeedbackKind.refusal: OrderEventKind.refusal,
    FeedbackKind.cannot_pick_up: OrderEventKind.cannot_pick_up,
    FeedbackKind.pickup_promise: OrderEventKind.pickup_promise,
    FeedbackKind.storage_extension: OrderEventKind.storage_extension,
}


def feedback_event(kind: FeedbackKind) -> OrderEventKind:
    """The history's entry for a customer's answer of ``kind``."""
    return FEEDBACK_EVENTS[kind]
