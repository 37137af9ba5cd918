"""Every CONNECT_CATCH_UP_INTERVAL the elected worker reads the connected platforms' changed orders
(``bot.services.connections.catch_up``): what a lost webhook did not bring arrives this way."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

import aiohttp

from bot.background import ClockedRounds
from bot.clock import Clock
from bot.connectors.base import Adapter, Platform, RemoteOrder
from bot.services.connections.catch_up import catch_up_all
from bot.services.context import ServiceContext
from storage.uow import Database

log = logging.getLogger(__name__)


class PlatformCatchUp(ClockedRounds):
    def __init__(
        self,
        db: Database,
        ctx: ServiceContext,
        clock: Clock,
        http: aiohttp.ClientSession,
        adapters: Mapping[Platform, Adapter],
        check_order: Callable[[RemoteOrder], RemoteOrder],
        interval: timedelta,
    ) -> None:
        super().__init__(
            clock,
            name="the platforms' catch-up",
            max_sleep=interval.total_seconds(),
            retry_after=60.0,
        )
        self._db = db
        self._ctx = ctx
        self._http = http
        self._adapters = {platform.value: adapter for platform, adapter in adapters.items()}
        self._check_order = check_order
        self._interval = interval

    async def _round(self) -> datetime | None:
        for result in await catch_up_all(
            self._db, self._ctx, self._http, self._adapters, self._check_order
        ):
            if result.refused:
                log.warning(
                    "catch-up %s: %s orders read, %s not taken in",
                    result.name,
                    result.received,
                    result.refused,
                )
        return self._clock.now() + self._interval
