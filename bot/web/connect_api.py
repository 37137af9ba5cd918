"""``POST /connect/<platform>/<key>``: a connected platform's webhooks, in its own format.

The key in the address names the connection (and, for KeyCRM, which signs nothing, is the only
proof); WooCommerce and Shopify deliveries must also carry the platform's signature. A bad or
missing key or signature → 401 and nothing stored; a body that cannot be read → 4xx naming the
field; an order Vykup does not act on (a ping, a deleted order) → 200. The answer is sent only
after the delivery committed, so a platform that got no 2xx delivers again and loses nothing.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.connectors.base import InboundKind, InvalidInbound
from bot.services.connections import inbound
from bot.services.connections.records import connection_info
from bot.web.errors import ApiError, FieldError
from bot.web.jsonio import json_response
from bot.web.keys import ADAPTERS, DB, SERVICE_CONTEXT
from bot.web.order_checks import validated

log = logging.getLogger(__name__)

ROUTE = "/connect/{platform}/{key}"


async def receive(request: web.Request) -> web.Response:
    db, ctx = request.app[DB], request.app[SERVICE_CONTEXT]
    adapters = request.app[ADAPTERS]
    key = request.match_info["key"]
    async with db.read() as uow:
        connection = await uow.connections.by_key(key)
    if connection is None or connection.platform != request.match_info["platform"]:
        raise _unauthorized("Unknown connection address")
    info = connection_info(connection, ctx.public_url)
    adapter = adapters.get(info.platform)
    if adapter is None:
        raise _unauthorized("Unknown connection address")
    body = await request.read()
    headers = {name.lower(): value for name, value in request.headers.items()}
    if not adapter.verify(info, headers, body):
        log.warning("%s: a delivery with a bad or missing signature was refused", info.name)
        raise _unauthorized("Bad or missing signature")
    try:
        parsed = adapter.parse(info, headers, body)
        if parsed.kind is InboundKind.order:
            assert parsed.order is not None
            remote = validated(parsed.order)
    except InvalidInbound as error:
        log.warning("%s: an unreadable delivery: %s", info.name, error)
        raise ApiError(
            422,
            "validation_failed",
            f"Invalid or missing fields: {error.field}",
            fields=[FieldError(field=error.field, message=error.message)],
        ) from None
    if parsed.kind is InboundKind.order:
        result = await inbound.receive(db, ctx, connection.id, remote)
        log.info(
            "%s: order %s %s (%s)", info.name, remote.number, result.applied, parsed.topic or "-"
        )
        return json_response({"ok": True, "result": result.applied.value})
    if parsed.kind is InboundKind.fetch and parsed.remote_id:
        async with db.uow() as uow:
            inbound.queue_fetch(uow, connection.id, parsed.remote_id)
            await uow.connections.received(connection.id, uow.clock.now())
            await uow.commit()
        return json_response({"ok": True, "result": "queued"})
    return json_response({"ok": True, "result": parsed.kind.value})


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message)
