"""Sends the managers' daily digest at DIGEST_AT; after downtime, catches up on a recent slot.

Sleeps until the next slot, at most ``max_sleep`` at a time, or until woken by a clock jump.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.background import ClockedRounds
from bot.clock import Clock
from bot.services.context import ServiceContext
from bot.services.digest import CATCH_UP, next_digest, pending_slot, send_digest
from storage.uow import Database


class DailyDigest(ClockedRounds):
    def __init__(
        self,
        db: Database,
        ctx: ServiceContext,
        clock: Clock,
        at: time,
        *,
        max_sleep: float = 60.0,
        retry_after: float = 10.0,
        catch_up: timedelta = CATCH_UP,
    ) -> None:
        super().__init__(
            clock, name="the daily digest", max_sleep=max_sleep, retry_after=retry_after
        )
        self._db = db
        self._ctx = ctx
        self._at = at
        self._catch_up = catch_up
        self._done: datetime | None = None  # the slot known to be handled (a cache of storage)

    async def run_once(self) -> bool:
        """Send the current slot's digest if it is due, recent and not sent yet; True if queued."""
        now = self._clock.now()
        slot = pending_slot(now, self._at, self._ctx.timezone, catch_up=self._catch_up)
        if slot is None or slot == self._done:
            return False
        sent = await send_digest(self._db, self._ctx, at=self._at, now=now)
        self._done = slot
        return sent

    async def _round(self) -> datetime | None:
        await self.run_once()
        return next_digest(self._clock.now(), self._at, self._ctx.timezone)
