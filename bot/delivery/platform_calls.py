"""One outbox row for a connected platform: tell it what happened to an order, or fetch an order
its webhook only named. The worker records the outcome like any other delivery.

A platform that refuses the credentials (401/403) is not called again until ``vykup connect``
fixes them: its rows wait (checked again every ``SUSPENDED_RECHECK``), the managers are told once.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import timedelta

import aiohttp

from bot.connectors.base import (
    Adapter,
    ConnectionInfo,
    InvalidInbound,
    Platform,
    PlatformRejected,
    PlatformUpdate,
    RemoteOrder,
)
from bot.delivery.outcomes import Failed, Outcome, Retry, Sent, describe
from bot.domain.platform_events import platform_marker
from bot.domain.shop_events import ShopEvent
from bot.services.connections import health
from bot.services.connections.inbound import receive
from bot.services.connections.records import connection_info
from bot.services.context import ServiceContext
from storage.models import OutboxMessage
from storage.repositories.connections import SUSPENDED
from storage.uow import Database

SUSPENDED_RECHECK = timedelta(hours=1)
FETCH = "fetch"

log = logging.getLogger(__name__)


class PlatformCalls:
    def __init__(
        self,
        db: Database,
        ctx: ServiceContext,
        http: aiohttp.ClientSession,
        adapters: Mapping[Platform, Adapter],
        check_order: Callable[[RemoteOrder], RemoteOrder],
    ) -> None:
        """``check_order``: a fetched order held to the shop API's rules, as a delivered one is
        (``bot.web.order_checks.validated``; it raises InvalidInbound)."""
        self._db = db
        self._check_order = check_order
        self._ctx = ctx
        self._http = http
        self._adapters = adapters
        # (platform, outcome) → calls made by this process, for /metrics.
        self.counts: Counter[tuple[str, str]] = Counter()

    async def send(self, row: OutboxMessage) -> Outcome:
        payload = row.payload if isinstance(row.payload, dict) else {}
        connection_id = payload.get("connection")
        if not isinstance(connection_id, int):
            return Failed("invalid_payload", "a platform call without its connection")
        async with self._db.read() as uow:
            connection = await uow.connections.get(connection_id)
            link = (
                await uow.connections.link_of_order(row.order_id)
                if row.order_id is not None
                else None
            )
        if connection is None:
            return Failed("gone", "the connection was removed (vykup connect --remove)")
        if connection.state == SUSPENDED:
            return Retry(
                f"{connection.name}: waiting for new credentials ({connection.problem})",
                "platform_refused",
                not_before=SUSPENDED_RECHECK,
            )
        info = connection_info(connection, self._ctx.public_url)
        adapter = self._adapters.get(info.platform)
        if adapter is None:
            return Failed("invalid_payload", f"no connector for {info.platform}")
        try:
            if row.method == FETCH:
                await self._fetch(adapter, info, connection_id, str(payload.get("remote_id")))
            else:
                if link is None:
                    return Failed("gone", "the order is no longer linked to the platform")
                event = payload.get("event")
                update = PlatformUpdate(
                    remote_id=link[0].remote_id,
                    event=ShopEvent(event) if event else None,
                    note=payload.get("note"),
                    marker=payload.get("marker") or platform_marker(row.id),
                    customer_note=payload.get("customer_note"),
                )
                await adapter.apply(self._http, info, update)
        except PlatformRejected as rejected:
            return await self._rejected(info, connection_id, rejected)
        except (InvalidInbound, ValueError, KeyError) as error:
            self.counts[(info.platform.value, "failed")] += 1
            return Failed("invalid_payload", describe(error))
        except Exception as error:  # the database while receiving, or a connector's bug
            self.counts[(info.platform.value, "retried")] += 1
            log.exception("platform call %s (%s) raised", row.id, info.name)
            return Retry(describe(error), "other")
        self.counts[(info.platform.value, "sent")] += 1
        async with self._db.uow() as uow:
            await uow.connections.sent(connection_id, uow.clock.now())
            await uow.commit()
        return Sent()

    async def _fetch(
        self, adapter: Adapter, info: ConnectionInfo, connection_id: int, remote_id: str
    ) -> None:
        remote = self._check_order(await adapter.fetch(self._http, info, remote_id))
        await receive(self._db, self._ctx, connection_id, remote)

    async def _rejected(
        self, info: ConnectionInfo, connection_id: int, rejected: PlatformRejected
    ) -> Outcome:
        platform = info.platform.value
        error = f"{info.name}: {rejected}"
        if rejected.credentials_refused:
            self.counts[(platform, "refused")] += 1
            if await health.suspend(self._db, self._ctx, connection_id, str(rejected)):
                log.error("%s refused the credentials: calls stop until vykup connect", error)
            return Retry(error, "platform_refused", not_before=SUSPENDED_RECHECK)
        if rejected.worth_retrying:
            self.counts[(platform, "retried")] += 1
            return Retry(error, "platform_error", not_before=rejected.retry_after)
        self.counts[(platform, "failed")] += 1
        return Failed("platform_rejected", error)
