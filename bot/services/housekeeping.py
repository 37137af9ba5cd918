"""Deletes delivered messages and timers that ran, once they are older than the shop keeps them.

Each batch is its own short transaction, so the bot's own writers (SQLite has one at a time) wait
at most one batch behind it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.retention import Bookkeeping, sweep
from storage.repositories.erasure import ErasureRepository
from storage.uow import Database, UnitOfWork

BATCH = 250
# After each batch, rest this many times as long as the batch took: the bot's own work (its
# writers wait behind a batch, its event loop is shared) goes on nearly as fast meanwhile.
REST = 1.0


@dataclass(frozen=True, slots=True)
class Pruned:
    messages: int = 0
    timers: int = 0
    refund_details: int = 0  # returns whose IBAN and holder's name were erased


async def prune(
    db: Database, *, keep: timedelta, now: datetime, batch: int = BATCH, rest: float = REST
) -> Pruned:
    """Delete sent and failed messages and timers that ran, finished more than ``keep`` ago."""
    cutoff = now - keep

    async def delete_messages(uow: UnitOfWork, ids: list[int]) -> int:
        return await uow.outbox.delete_finished(ids)

    async def delete_timers(uow: UnitOfWork, ids: list[int]) -> int:
        return await uow.timers.delete_done(ids, before=cutoff)

    messages = await _walk(
        db, lambda uow, after: uow.outbox.oldest_after(after, batch), delete_messages, cutoff, rest
    )
    timers = await _walk(
        db, lambda uow, after: uow.timers.oldest_after(after, batch), delete_timers, cutoff, rest
    )
    return Pruned(messages=messages, timers=timers)


async def erase_refund_details(
    db: Database, *, keep: timedelta, now: datetime, batch: int = BATCH
) -> int:
    """IBANs and holders' names of returns refunded more than ``keep`` ago (REFUND_DETAILS_KEEP):
    the money went, the bank details are no longer needed. The return and its amount stay."""
    erased = 0
    while True:
        async with db.uow() as uow:
            repo = ErasureRepository(uow.session)
            ids = await repo.refund_details_due(now - keep, batch)
            erased += await repo.erase_refund_details(ids)
            await uow.commit()
        if len(ids) < batch:
            return erased


async def _walk(
    db: Database,
    read: Callable[[UnitOfWork, int], Awaitable[list[Bookkeeping]]],
    delete: Callable[[UnitOfWork, list[int]], Awaitable[int]],
    cutoff: datetime,
    rest: float,
) -> int:
    deleted = 0
    after = 0
    while True:
        began = time.perf_counter()
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
        await asyncio.sleep(rest * (time.perf_counter() - began))
