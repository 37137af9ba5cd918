"""Sends the managers' daily digest at DIGEST_AT; after downtime, catches up on a recent slot.

Sleeps until the next slot, at most ``max_sleep`` at a time, or until woken by a clock jump.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from bot.background import Pause
from bot.clock import Clock
from bot.services.context import ServiceContext
from bot.services.digest import CATCH_UP, next_digest, pending_slot, send_digest
from storage.uow import Database

log = logging.getLogger(__name__)


class DailyDigest:
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
        self._db = db
        self._ctx = ctx
        self._clock = clock
        self._at = at
        self._max_sleep = max_sleep
        self._retry_after = retry_after
        self._catch_up = catch_up
        self._done: datetime | None = None  # the slot known to be handled (a cache of storage)
        self._pause = Pause()
        clock.subscribe(self.wake)

    def wake(self) -> None:
        self._pause.wake()

    def stop(self) -> None:
        self._pause.stop()

    async def run_once(self) -> bool:
        """Send the current slot's digest if it is due, recent and not sent yet; True if queued."""
        now = self._clock.now()
        slot = pending_slot(now, self._at, self._ctx.timezone, catch_up=self._catch_up)
        if slot is None or slot == self._done:
            return False
        sent = await send_digest(self._db, self._ctx, at=self._at, now=now)
        self._done = slot
        return sent

    async def run(self) -> None:
        while not self._pause.stopped:
            self._pause.begin_round()
            try:
                await self.run_once()
                pause = self._seconds_to_next()
            except Exception:
                log.exception("the daily digest failed; trying again shortly")
                pause = self._retry_after
            await self._pause.wait(pause)

    def _seconds_to_next(self) -> float:
        now = self._clock.now()
        seconds = (next_digest(now, self._at, self._ctx.timezone) - now).total_seconds()
        return min(max(seconds, 0.05), self._max_sleep)
