"""The real web application listening on a real port, served by its own thread and event loop.

Schemathesis sends its requests with ``requests``, which blocks: the application cannot share the
test's event loop, so it gets one of its own. Everything that touches the application's database
(seeding, reading back) runs on that loop through :meth:`LiveApi.run`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from bot.clock import Clock
from bot.services.context import ServiceContext
from bot.web.app import create_web_app
from storage.db import create_engine
from storage.uow import Database

T = TypeVar("T")

TIMEOUT_SECONDS = 60.0


class LiveApi:
    """``with LiveApi(url, ctx, clock, token=...) as api:`` the app answers at ``api.base_url``."""

    def __init__(
        self, database_url: str, ctx: ServiceContext, clock: Clock, *, token: str | None
    ) -> None:
        self._database_url = database_url
        self._ctx = ctx
        self._clock = clock
        self._token = token
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="live-api", daemon=True)
        self._runner: web.AppRunner | None = None
        self._db: Database | None = None
        self.base_url = ""

    @property
    def db(self) -> Database:
        """The application's database; use it only inside :meth:`run`."""
        assert self._db is not None, "the application is not running"
        return self._db

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the application's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(TIMEOUT_SECONDS)

    def __enter__(self) -> LiveApi:
        self._thread.start()
        try:
            self.run(self._start())
        except BaseException:
            self._close_loop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.run(self._stop())
        finally:
            self._close_loop()

    async def _start(self) -> None:
        self._db = Database(create_engine(self._database_url), self._clock)
        app = create_web_app(self._db, self._ctx, shop_api_token=self._token)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"

    async def _stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._db is not None:
            await self._db.dispose()

    def _close_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(TIMEOUT_SECONDS)
        self._loop.close()
