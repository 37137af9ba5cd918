"""Every OUTREACH_REPORTS_EVERY the elected worker asks the Viber/SMS provider what became of the
messages it took (``bot.services.outreach.reports``)."""

from __future__ import annotations

from datetime import datetime, timedelta

import aiohttp

from bot.background import ClockedRounds
from bot.channels.base import Gateway
from bot.clock import Clock
from bot.services.context import ServiceContext
from bot.services.outreach.reports import check_reports
from storage.uow import Database

REPORTS_EVERY = timedelta(minutes=5)


class OutreachReports(ClockedRounds):
    def __init__(
        self,
        db: Database,
        ctx: ServiceContext,
        clock: Clock,
        http: aiohttp.ClientSession,
        gateway: Gateway,
        interval: timedelta = REPORTS_EVERY,
    ) -> None:
        super().__init__(
            clock,
            name="Viber/SMS delivery reports",
            max_sleep=interval.total_seconds(),
            retry_after=60.0,
        )
        self._db = db
        self._ctx = ctx
        self._http = http
        self._gateway = gateway
        self._interval = interval

    async def _round(self) -> datetime | None:
        await check_reports(self._db, self._ctx, self._http, self._gateway)
        return self._clock.now() + self._interval
