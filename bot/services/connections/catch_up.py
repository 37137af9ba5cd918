"""The catch-up: read each platform's orders changed since the last look, through its API, and
receive them as if their webhooks had come.

Webhooks get lost: WooCommerce never re-sends a delivery that failed (Vykup restarting, a proxy
down) and switches a webhook off after five failures; Shopify gives up after eight tries. What a
webhook already brought is a repeat here and changes nothing (``inbound.receive``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp

from bot.connectors.base import Adapter, InvalidInbound, PlatformRejected, RemoteOrder
from bot.services.connections import health
from bot.services.connections.inbound import receive
from bot.services.connections.records import connection_info
from bot.services.context import ServiceContext
from storage.repositories.connections import SUSPENDED
from storage.uow import Database

log = logging.getLogger(__name__)

# Read again a little before the last change seen: platforms stamp to the second, and an order
# changed in that same second may not have been listed yet. Repeats change nothing.
OVERLAP = timedelta(minutes=1)
MAX_PAGES = 20  # per connection and round; the rest waits for the next round


@dataclass(frozen=True)
class CaughtUp:
    name: str
    received: int  # orders read and received (most are repeats)
    refused: int  # orders that could not be read or taken (logged)


async def catch_up_all(
    db: Database,
    ctx: ServiceContext,
    http: aiohttp.ClientSession,
    adapters: dict[str, Adapter],
    check_order: Callable[[RemoteOrder], RemoteOrder],
) -> list[CaughtUp]:
    async with db.read() as uow:
        connections = [c.id for c in await uow.connections.all() if c.state != SUSPENDED]
    results = []
    for connection_id in connections:
        result = await catch_up(db, ctx, http, adapters, check_order, connection_id)
        if result is not None:
            results.append(result)
    return results


async def catch_up(
    db: Database,
    ctx: ServiceContext,
    http: aiohttp.ClientSession,
    adapters: dict[str, Adapter],
    check_order: Callable[[RemoteOrder], RemoteOrder],
    connection_id: int,
) -> CaughtUp | None:
    """One connection: pages of changed orders until none is left (or ``MAX_PAGES``)."""
    async with db.read() as uow:
        connection = await uow.connections.get(connection_id)
    if connection is None or connection.state == SUSPENDED:
        return None
    adapter = adapters.get(connection.platform)
    if adapter is None:
        return None
    info = connection_info(connection, ctx.public_url)
    since = connection.caught_up_at or connection.created_at
    received = refused = 0
    for _ in range(MAX_PAGES):
        try:
            page = await adapter.changed_since(http, info, since - OVERLAP)
        except PlatformRejected as rejected:
            if rejected.credentials_refused:
                await health.suspend(db, ctx, connection_id, str(rejected))
            log.warning("%s: catch-up stopped: %s", info.name, rejected)
            break
        if page is None:
            return None
        for remote in page.orders:
            try:
                await receive(db, ctx, connection_id, check_order(remote))
                received += 1
            except InvalidInbound as error:
                refused += 1
                log.warning("%s: order %s not taken in: %s", info.name, remote.number, error)
        if page.until is not None and page.until > since:
            since = page.until
            await _note(db, connection_id, since)
        if not page.more:
            break
    return CaughtUp(info.name, received, refused)


async def _note(db: Database, connection_id: int, until: datetime) -> None:
    async with db.uow() as uow:
        connection = await uow.connections.get(connection_id, for_update=True)
        if connection is not None:
            connection.caught_up_at = until
            await uow.commit()
