"""Fires due timers. Sleeps until the next one is due, or until woken by a commit or a clock jump."""

from __future__ import annotations

import logging

from bot.background import Pause
from bot.clock import Clock
from bot.services.context import ServiceContext
from bot.services.timers import next_due_at, run_due_timers
from storage.uow import Database

log = logging.getLogger(__name__)


class TimerScheduler:
    def __init__(
        self, db: Database, ctx: ServiceContext, clock: Clock, *, max_sleep: float = 30.0
    ) -> None:
        self._db = db
        self._ctx = ctx
        self._clock = clock
        self._max_sleep = max_sleep
        self._pause = Pause()
        clock.subscribe(self.wake)

    def wake(self) -> None:
        self._pause.wake()

    def stop(self) -> None:
        self._pause.stop()

    async def run_once(self) -> int:
        return await run_due_timers(self._db, self._ctx)

    async def run(self) -> None:
        while not self._pause.stopped:
            self._pause.begin_round()
            try:
                await self.run_once()
                pause = await self._seconds_to_next()
            except Exception:
                log.exception("timers failed; trying again shortly")
                pause = 5.0
            await self._pause.wait(pause)

    async def _seconds_to_next(self) -> float:
        due = await next_due_at(self._db)
        if due is None:
            return self._max_sleep
        seconds = (due - self._clock.now()).total_seconds()
        return min(max(seconds, 0.05), self._max_sleep)
