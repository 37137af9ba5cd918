"""Every hour (and at once after a clock jump) the elected worker looks for parcels that stopped
moving (``bot.services.stalls.check``): new ones are announced, the ones that moved clear."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.background import ClockedRounds
from bot.clock import Clock
from bot.services.context import ServiceContext
from bot.services.stalls import CheckResult, check
from storage.uow import Database

log = logging.getLogger(__name__)

EVERY = timedelta(hours=1)  # the rules count days: an hour late is never too late


class StallCheck(ClockedRounds):
    def __init__(
        self,
        db: Database,
        ctx: ServiceContext,
        clock: Clock,
        *,
        every: timedelta = EVERY,
        retry_after: float = 60.0,
    ) -> None:
        super().__init__(
            clock,
            name="the stalled parcels' check",
            max_sleep=every.total_seconds(),
            retry_after=retry_after,
        )
        self._db = db
        self._ctx = ctx
        self._every = every

    async def run_once(self) -> CheckResult:
        result = await check(self._db, self._ctx)
        if result.found or result.cleared:
            log.info("stalled parcels: %s new, %s moved again", result.found, result.cleared)
        return result

    async def _round(self) -> datetime | None:
        await self.run_once()
        return self._clock.now() + self._every
