"""A round-robin HTTP load balancer, as nginx would be in front of several web processes."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection"}


@asynccontextmanager
async def round_robin(port: int, upstreams: list[str]) -> AsyncIterator[None]:
    turns = itertools.cycle(upstreams)
    async with aiohttp.ClientSession() as http:

        async def forward(request: web.Request) -> web.Response:
            headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
            try:
                async with http.request(
                    request.method,
                    f"{next(turns)}{request.rel_url}",
                    data=await request.read(),
                    headers=headers,
                ) as answer:
                    return web.Response(
                        status=answer.status,
                        body=await answer.read(),
                        content_type=answer.content_type,
                    )
            except aiohttp.ClientError:
                return web.Response(status=502, text="upstream unavailable")

        app = web.Application()
        app.router.add_route("*", "/{path:.*}", forward)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, "127.0.0.1", port).start()
            yield
        finally:
            await runner.cleanup()
