"""The history a past order gets: the same events and feedback the live bot would have stored.

Pure: no I/O. The order was created (``new``), then walked the allowed moves to its outcome;
the shop is the source of every step, since the shop's records are where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from bot.domain.feedback import RefusalReason
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import OrderStatus, path_to
from bot.importer.rows import REFUSALS, HistoricalOrder


class Step(NamedTuple):
    """One ``order_events`` row: ``kind`` is created, status or refusal."""

    kind: OrderEventKind
    at: datetime
    from_status: OrderStatus | None = None
    to_status: OrderStatus | None = None
    reason: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why the customer refused the parcel: a ``feedback`` row of kind "refusal"."""

    reason: RefusalReason
    comment: str | None


def chain(order: HistoricalOrder) -> list[OrderStatus]:
    """The statuses after ``new``. A cancelled order with ``confirmed_at`` was confirmed first."""
    if order.status is OrderStatus.cancelled and order.confirmed_at is not None:
        return [OrderStatus.confirmed, OrderStatus.cancelled]
    return list(_path_from_new(order.status))


@cache
def _path_from_new(status: OrderStatus) -> tuple[OrderStatus, ...]:
    path = path_to(OrderStatus.new, status)
    if path is None:  # every outcome is reachable from new: the transition table says so
        raise ValueError(f"no way from new to {status}")
    return tuple(path)


def steps(order: HistoricalOrder) -> list[Step]:
    """Created at ``created_at``; confirmed at ``confirmed_at`` when known; the rest, and the
    outcome, at ``finished_at`` (with the cancel comment on a cancellation); then why it was refused."""
    history = [Step(OrderEventKind.created, order.created_at, to_status=OrderStatus.new)]
    current = OrderStatus.new
    statuses = chain(order)
    for index, status in enumerate(statuses):
        at = order.finished_at
        if status is OrderStatus.confirmed and order.confirmed_at is not None:
            at = order.confirmed_at
        last = index == len(statuses) - 1
        comment = order.comment if last and status is OrderStatus.cancelled else None
        history.append(Step(OrderEventKind.status, at, current, status, comment=comment))
        current = status
    told = refusal(order)
    if told is not None:
        history.append(
            Step(
                OrderEventKind.refusal,
                order.finished_at,
                reason=told.reason.value,
                comment=told.comment,
            )
        )
    return history


def refusal(order: HistoricalOrder) -> Refusal | None:
    """A refused or returned order with a reason or a comment; a comment alone is reason "other"."""
    if order.status not in REFUSALS:
        return None
    if order.refusal_reason is None and order.comment is None:
        return None
    return Refusal(order.refusal_reason or RefusalReason.other, order.comment)
