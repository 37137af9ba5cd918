"""Serving the TurboSMS stand-in on 127.0.0.1: its address is the gateway's ``api_url``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.standin.turbosms.account import TurboSmsStandin


def create_app(standin: TurboSmsStandin) -> web.Application:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", standin.handle)
    return app


@asynccontextmanager
async def serve(standin: TurboSmsStandin, host: str = "127.0.0.1") -> AsyncIterator[str]:
    """Serve ``standin`` on a free port; yield its address (``http://127.0.0.1:<port>``)."""
    runner = web.AppRunner(create_app(standin), handle_signals=False, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, 0)
        await site.start()
        bound_host, bound_port = runner.addresses[0][:2]
        yield f"http://{bound_host}:{bound_port}"
    finally:
        await runner.cleanup()
