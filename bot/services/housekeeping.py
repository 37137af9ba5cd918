"""Deletes delivered messages and timers that ran, once they are older than the shop keeps them.

Each batch is its own short transaction, so the bot's own writers (SQLite has one at a time) wait
at most one batch behind it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.retention import Bookkeeping, sweep
from storage.uow import Database, UnitOfWork

BATCH = 1000


@dataclass(frozen=True, slots=True)
class Pruned:
    messages: int = 0
    timers: int = 0


async def prune(db: Database, *, keep: timedelta, now: datetime, batch: int = BATCH) -> Pruned:
    """Delete sent and failed messages and timers that ran, finished more than ``keep`` ago."""
    cutoff = now - keep

    async def delete_messages(uow: UnitOfWork, ids: list[int]) -> int:
        return await uow.outbox.delete_finished(ids)

    async def delete_timers(uow: UnitOfWork, ids: list[int]) -> int:
        return await uow.timers.delete_done(ids, before=cutoff)

    messages = await _walk(
        db, lambda uow, after: uow.outbox.oldest_after(after, batch), delete_messages, cutoff
    )
    timers = await _walk(
        db, lambda uow, after: uow.timers.oldest_after(after, batch), delete_timers, cutoff
    )
    return Pruned(messages=messages, timers=timers)


async def _walk(
    db: Database,
    read: Callable[[UnitOfWork, int], Awaitable[list[Bookkeeping]]],
    delete: Callable[[UnitOfWork, list[int]], Awaitable[int]],
    cutoff: datetime,
) -> int:
    deleted = 0
    after = 0
    while True:
        async with db.read() as uow:
            rows = await read(uow, after)
        step = sweep(rows, cutoff=cutoff)
        if step.expired:
            async with db.uow() as uow:
                deleted += await delete(uow, step.expired)
                await uow.commit()
        if step.done or step.last_id is None:
            return deleted
        after = step.last_id
