"""Fires due timers. Sleeps until the next one is due, or until woken by a commit or a clock jump."""

from __future__ import annotations

from datetime import datetime

from bot.background import ClockedRounds
from bot.clock import Clock
from bot.services.context import ServiceContext
from bot.services.timers import next_due_at, run_due_timers
from storage.uow import Database


class TimerScheduler(ClockedRounds):
    def __init__(
        self, db: Database, ctx: ServiceContext, clock: Clock, *, max_sleep: float = 30.0
    ) -> None:
        super().__init__(clock, name="timers", max_sleep=max_sleep, retry_after=5.0)
        self._db = db
        self._ctx = ctx

    async def run_once(self) -> int:
        return await run_due_timers(self._db, self._ctx)

    async def _round(self) -> datetime | None:
        await self.run_once()
        return await next_due_at(self._db)
