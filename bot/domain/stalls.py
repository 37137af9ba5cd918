"""Parcels that stop moving: which rule a parcel breaks, and since when.

Pure rules over plain facts. Storage narrows the candidates with indexed queries; this module
decides. A parcel that moves again breaks no rule any more, so it clears itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.domain.orders import OrderStatus
from bot.domain.pickup import free_days_left
from bot.domain.shipments import ShipmentStatus


class StallRule(StrEnum):
    """What is late. The value is stored and sent to the shop (``order.stalled``'s reason)."""

    not_shipped = "not_shipped"  # confirmed, no waybill (STALL_NOT_SHIPPED)
    not_scanned = "not_scanned"  # a waybill the carrier never scanned (STALL_NOT_SCANNED)
    in_transit = "in_transit"  # on its way too long (STALL_IN_TRANSIT)
    pickup_at_risk = (
        "pickup_at_risk"  # waits, the customer silent, storage ends (STALL_STORAGE_LEFT)
    )


@dataclass(frozen=True)
class StallLimits:
    """Each rule's limit; None: the rule is off."""

    not_shipped: timedelta | None = timedelta(days=2)
    not_scanned: timedelta | None = timedelta(days=2)
    in_transit: timedelta | None = timedelta(days=5)
    # Fewer free storage days left than this (whole days) while the customer cannot be reached.
    storage_left: timedelta | None = timedelta(days=2)

    def limit(self, rule: StallRule) -> timedelta | None:
        return {
            StallRule.not_shipped: self.not_shipped,
            StallRule.not_scanned: self.not_scanned,
            StallRule.in_transit: self.in_transit,
            StallRule.pickup_at_risk: self.storage_left,
        }[rule]

    def started_before(self, rule: StallRule, now: datetime) -> datetime | None:
        """A state that began at or before this moment has lasted too long; None: rule off."""
        limit = self.limit(rule)
        return None if limit is None or rule is StallRule.pickup_at_risk else now - limit

    def storage_ends_before(self, today: date) -> date | None:
        """Paid storage starting before this day leaves too few free days; None: rule off."""
        if self.storage_left is None:
            return None
        return today + timedelta(days=self.storage_left.days)


@dataclass(frozen=True)
class ParcelFacts:
    """What is known about one order's parcel at the moment of the check."""

    order_status: OrderStatus
    confirmed_at: datetime | None = None  # when the order became confirmed
    has_shipment: bool = False
    shipment_status: ShipmentStatus | None = None  # None: a waybill the carrier never reported
    waybill_at: datetime | None = None  # when the waybill was attached
    in_transit_since: datetime | None = None  # the carrier's moment of the in-transit event
    arrived_at: datetime | None = None
    paid_storage_from: date | None = None
    reachable: bool = True  # the chat reaches the customer
    answered: bool = False  # the customer told us something about the waiting parcel


@dataclass(frozen=True)
class Stalled:
    rule: StallRule
    since: datetime  # when the state that lasts too long began


def stall_of(
    facts: ParcelFacts, limits: StallLimits, *, now: datetime, today: date
) -> Stalled | None:
    """The rule the parcel breaks at ``now`` (``today``: the shop's date), or None."""
    if facts.order_status is OrderStatus.confirmed and not facts.has_shipment:
        return _lasted(StallRule.not_shipped, facts.confirmed_at, limits, now)
    if not facts.has_shipment:
        return None
    status = facts.shipment_status
    if status is None or status is ShipmentStatus.created:
        return _lasted(StallRule.not_scanned, facts.waybill_at, limits, now)
    if status is ShipmentStatus.in_transit:
        return _lasted(StallRule.in_transit, facts.in_transit_since, limits, now)
    if status is ShipmentStatus.arrived:
        return _pickup_at_risk(facts, limits, today)
    return None


def _lasted(
    rule: StallRule, began: datetime | None, limits: StallLimits, now: datetime
) -> Stalled | None:
    cutoff = limits.started_before(rule, now)
    if cutoff is None or began is None or began > cutoff:
        return None
    return Stalled(rule, began)


def _pickup_at_risk(facts: ParcelFacts, limits: StallLimits, today: date) -> Stalled | None:
    if limits.storage_left is None or facts.reachable or facts.answered:
        return None
    left = free_days_left(facts.paid_storage_from, today)
    if left is None or facts.arrived_at is None:
        return None
    # free_days_left counts the days after today; today itself is free while left >= 0.
    if left + 1 >= limits.storage_left.days:
        return None
    return Stalled(StallRule.pickup_at_risk, facts.arrived_at)
