"""``vykup connect``: check the credentials, store the connection, register the webhooks; list and
remove connections. Runs before the bot is started, with only the database and PUBLIC_URL."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import aiohttp

from bot.connectors.base import Adapter, ConnectionInfo, Platform, Registration
from bot.services.connections.records import connection_info, webhook_url
from storage.models import Connection
from storage.repositories.connections import ACTIVE
from storage.uow import Database

KEY_BYTES = 32  # the address's key: 43 URL-safe characters, unguessable


@dataclass(frozen=True)
class ConnectRequest:
    name: str
    platform: Platform
    api_url: str
    credentials: Mapping[str, str]
    mapping: Mapping[str, str] = field(default_factory=dict)  # the owner's --map choices
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ConnectReport:
    name: str
    shop: str  # the shop's name as the platform gives it
    webhook_url: str
    created: bool  # a new connection (else: updated, credentials refreshed)
    resumed: int  # updates that waited for new credentials, now sent
    registration: Registration
    mapping: Mapping[str, str]  # the effective mapping: event → status/tag/id ("" = note only)


async def connect(
    db: Database,
    http: aiohttp.ClientSession,
    adapter: Adapter,
    request: ConnectRequest,
    public_url: str,
) -> ConnectReport:
    """Raise ConnectFailed (from the adapter) before anything is stored if the credentials fail.

    The connection is stored before the webhooks are registered: a run that fails half-way keeps
    its address, so running it again finds and keeps what the first run registered."""
    async with db.read() as uow:
        existing = await uow.connections.by_name(request.name)
    key = existing.key if existing else secrets.token_urlsafe(KEY_BYTES)
    signing = (
        adapter.signing_secret(request.credentials)
        or (existing.signing_secret if existing else None)
        or secrets.token_urlsafe(KEY_BYTES)
    )
    stored_mapping = dict(existing.mapping) if existing else {}
    stored_options = dict(existing.options) if existing else {}
    info = ConnectionInfo(
        name=request.name,
        platform=request.platform,
        api_url=request.api_url,
        credentials=dict(request.credentials),
        signing_secret=signing,
        webhook_url=webhook_url(public_url, request.platform, key),
        mapping={**stored_mapping, **request.mapping},
        options={**stored_options, **request.options},
    )
    shop = await adapter.check(http, info)
    created, resumed = await _store(db, info, key)
    moved: list[str] = []
    if existing is not None and existing.registered_url not in (None, info.webhook_url):
        # PUBLIC_URL changed: the webhooks at the old address would deliver nowhere.
        old = replace(info, webhook_url=existing.registered_url or "")
        moved = await adapter.unregister(http, old)
    registration = await adapter.register(http, info)
    if moved:
        registration = replace(registration, done=[*moved, *registration.done])
    mapping = {**registration.mapping, **stored_mapping, **request.mapping}
    options = {**stored_options, **registration.options, **request.options}
    async with db.uow() as uow:
        connection = await uow.connections.by_name(request.name, for_update=True)
        assert connection is not None
        connection.mapping = mapping
        connection.options = options
        connection.registered_url = info.webhook_url
        connection.updated_at = uow.clock.now()
        await uow.commit()
    effective = {str(event): value for event, value in adapter.default_mapping.items()}
    return ConnectReport(
        name=request.name,
        shop=shop,
        webhook_url=info.webhook_url,
        created=created,
        resumed=resumed,
        registration=registration,
        mapping={**effective, **mapping},
    )


async def _store(db: Database, info: ConnectionInfo, key: str) -> tuple[bool, int]:
    async with db.uow() as uow:
        now = uow.clock.now()
        connection = await uow.connections.by_name(info.name, for_update=True)
        created = connection is None
        if connection is None:
            connection = Connection(
                name=info.name,
                platform=info.platform.value,
                key=key,
                mapping={},
                options={},
                created_at=now,
                caught_up_at=now,  # the catch-up reads what changes from now on
            )
            uow.connections.add(connection)
        connection.platform = info.platform.value
        connection.api_url = info.api_url
        connection.credentials = dict(info.credentials)
        connection.signing_secret = info.signing_secret
        connection.state = ACTIVE
        connection.problem = None
        connection.updated_at = now
        await uow.session.flush()
        resumed = 0 if created else await uow.connections.wake_calls(connection.id)
        await uow.commit()
        return created, resumed


@dataclass(frozen=True)
class ConnectionSummary:
    name: str
    platform: str
    api_url: str
    state: str
    problem: str | None
    last_received_at: datetime | None
    last_sent_at: datetime | None
    taken_in: int
    skipped: Mapping[str, int]
    waiting_calls: int


async def list_connections(db: Database) -> list[ConnectionSummary]:
    async with db.read() as uow:
        result = []
        for connection in await uow.connections.all():
            counts = await uow.connections.counts(connection.id)
            result.append(
                ConnectionSummary(
                    name=connection.name,
                    platform=connection.platform,
                    api_url=connection.api_url,
                    state=connection.state,
                    problem=connection.problem,
                    last_received_at=connection.last_received_at,
                    last_sent_at=connection.last_sent_at,
                    taken_in=counts.get(None, 0),
                    skipped={reason: n for reason, n in counts.items() if reason is not None},
                    waiting_calls=await uow.connections.pending_calls(connection.id),
                )
            )
        return result


async def stored_connection(
    db: Database, name: str, public_url: str | None
) -> ConnectionInfo | None:
    async with db.read() as uow:
        connection = await uow.connections.by_name(name)
        return None if connection is None else connection_info(connection, public_url)


async def forget_connection(db: Database, name: str) -> bool:
    """Delete the connection; its orders stay, and no longer update the platform."""
    async with db.uow() as uow:
        connection = await uow.connections.by_name(name, for_update=True)
        if connection is None:
            return False
        await uow.connections.delete(connection)
        await uow.commit()
        return True
