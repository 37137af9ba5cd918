"""Order statuses, the transitions between them, and the customer's cancel reasons."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from bot.domain.errors import IllegalTransition


class OrderStatus(StrEnum):
    new = "new"
    on_hold = "on_hold"
    confirmed = "confirmed"
    cancelled = "cancelled"
    shipped = "shipped"
    arrived = "arrived"
    received = "received"
    refused = "refused"
    returning = "returning"
    returned = "returned"


S = OrderStatus
ALLOWED: Final[Mapping[OrderStatus, frozenset[OrderStatus]]] = {
    S.new: frozenset({S.confirmed, S.cancelled, S.on_hold}),
    S.on_hold: frozenset({S.new, S.confirmed, S.cancelled}),
    S.confirmed: frozenset({S.shipped, S.cancelled, S.on_hold}),
    S.shipped: frozenset({S.arrived, S.received, S.refused, S.returning}),
    S.arrived: frozenset({S.received, S.refused, S.returning}),
    S.refused: frozenset({S.returning, S.returned}),
    S.returning: frozenset({S.returned}),
    S.received: frozenset(),
    S.cancelled: frozenset(),
    S.returned: frozenset(),
}

FINAL: Final[frozenset[OrderStatus]] = frozenset(s for s, targets in ALLOWED.items() if not targets)


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    return target in ALLOWED[current]


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    """Raise :class:`IllegalTransition` unless the table allows ``current → target``."""
    if not can_transition(current, target):
        raise IllegalTransition(current.value, target.value)


def awaits_confirmation(status: OrderStatus | str) -> bool:
    """Only a new order shows Confirm / Change / Cancel to its customer."""
    return OrderStatus(status) is OrderStatus.new


class CancelReason(StrEnum):
    """Why a customer cancelled. Values are short: they travel in callback data."""

    changed_mind = "mind"
    found_cheaper = "cheaper"
    by_mistake = "mistake"
    too_slow = "slow"
    other = "other"


class Payment(StrEnum):
    cod = "cod"
    prepaid = "prepaid"


class Carrier(StrEnum):
    nova_poshta = "nova_poshta"
    ukrposhta = "ukrposhta"
    meest = "meest"
    rozetka = "rozetka"
    courier = "courier"
    pickup = "pickup"
    other = "other"


class EventSource(StrEnum):
    """Who moved an order: shows up in its status history."""

    shop = "shop"
    customer = "customer"
    manager = "manager"
    system = "system"


# When two chains are as short, the one through the earlier status wins: a parcel that came back
# was "returning", not "refused" (a refusal counts against the customer).
_PREFERENCE: Final[list[OrderStatus]] = [
    S.new,
    S.confirmed,
    S.shipped,
    S.arrived,
    S.returning,
    S.received,
    S.refused,
    S.returned,
    S.on_hold,
    S.cancelled,
]


def path_to(current: OrderStatus, target: OrderStatus) -> list[OrderStatus] | None:
    """The shortest chain of allowed moves from ``current`` to ``target`` (excluding ``current``).

    A carrier reports where the parcel *is*; when the shop skipped a step (never marked the order
    shipped), the order walks through the missing steps. None if the table allows no way there.
    """
    if current == target:
        return []
    frontier: list[list[OrderStatus]] = [[current]]
    seen = {current}
    while frontier:
        next_frontier = []
        for chain in frontier:
            for step in sorted(ALLOWED[chain[-1]], key=_PREFERENCE.index):
                if step in seen:
                    continue
                if step == target:
                    return [*chain[1:], step]
                seen.add(step)
                next_frontier.append([*chain, step])
        frontier = next_frontier
    return None
