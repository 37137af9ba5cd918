"""Which outbox rows may go now: per-lane heads, strictly in id order.

A lane is a Telegram chat (``chat_id``) or, for shop webhooks and calls to a connected platform,
an order (``order_id``). Only the
oldest pending row of a lane (its head) may be sent; a head that waits blocks its lane only.
A row without a lane key is a lane of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from storage.models import OutboxMessage
from storage.repositories.outbox import PENDING, PLATFORM, TELEGRAM, WEBHOOK
from storage.uow import UnitOfWork

BY_ORDER = (WEBHOOK, PLATFORM)  # channels whose lane is an order


@dataclass(frozen=True)
class Lane:
    channel: str
    key: int | None
    solo: int | None = None

    @property
    def chat_id(self) -> int | None:
        return self.key if self.channel == TELEGRAM else None


def lane_of(row: OutboxMessage) -> Lane:
    return lane_of_values(row.id, row.channel, row.chat_id, row.order_id)


def lane_of_values(row_id: int, channel: str, chat_id: int | None, order_id: int | None) -> Lane:
    key = order_id if channel in BY_ORDER else chat_id if channel == TELEGRAM else None
    return Lane(channel, key, row_id if key is None else None)


@dataclass(frozen=True)
class Heads:
    due: list[Lane]
    next_due_at: datetime | None
    # Per due lane: the ids of its oldest and newest pending rows.
    span: Mapping[Lane, tuple[int, int]] = field(default_factory=dict)


async def lane_heads(uow: UnitOfWork, *, now: datetime, limit: int) -> Heads:
    """Lanes whose head is due (oldest first, at most ``limit``) and when the next head falls due."""
    due, next_due_at = await uow.outbox.due_heads(now=now, limit=limit)
    span = {lane_of_values(*row[:4]): (row[0], row[4]) for row in due}
    return Heads(due=list(span), next_due_at=next_due_at, span=span)


async def lane_rows(uow: UnitOfWork, lane: Lane) -> Sequence[OutboxMessage]:
    """The lane's pending rows in id order."""
    if lane.solo is not None:
        row = await uow.outbox.get(lane.solo)
        return [row] if row is not None and row.state == PENDING else []
    if lane.key is None:
        return []
    if lane.channel in BY_ORDER:
        return await uow.outbox.pending_for_order(lane.channel, lane.key)
    if lane.channel == TELEGRAM:
        return await uow.outbox.pending_for_chat(lane.key)
    return []


async def fail_chat(uow: UnitOfWork, chat_id: int, *, error: str) -> int:
    """Mark every pending Telegram row for ``chat_id`` failed; return how many."""
    return await uow.outbox.fail_pending_for_chat(chat_id, error=error)
