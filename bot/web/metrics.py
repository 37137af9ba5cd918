"""``GET /metrics`` in Prometheus' text format, and the middleware that counts API requests."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.web.keys import DB, METRICS

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
QUEUE_QUERY_TIMEOUT = 5.0


async def serve(request: web.Request) -> web.Response:
    metrics = request.app[METRICS]
    db = request.app[DB]
    try:
        async with asyncio.timeout(QUEUE_QUERY_TIMEOUT), db.uow() as uow:
            now = uow.clock.now()
            depth, oldest = await uow.outbox.depth()
            due = await uow.timers.count_due(now)
        metrics.set_queue(depth=depth, oldest=oldest, timers_due=due, now=now)
    except Exception:  # the figures stay as last seen; the scrape itself must not fail
        log.warning("metrics: the database did not answer", exc_info=True)
        metrics.database_up.set(0)
    return web.Response(
        body=generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
    )


@web.middleware
async def count_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    metrics = request.app[METRICS]
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        route = _route(request)
        metrics.api_requests.labels(request.method, route, str(status)).inc()
        metrics.api_seconds.labels(route).observe(time.perf_counter() - started)


def _route(request: web.Request) -> str:
    """The route's pattern, not the path: ``/api/v1/orders/{external_id}`` (bounded labels)."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"
