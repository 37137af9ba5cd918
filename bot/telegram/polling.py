"""Long polling as a loop the leader election can start and stop (one poller per bot at a time)."""

from __future__ import annotations

import asyncio
import contextlib

from aiogram import Bot, Dispatcher

STOP_WAIT = 5.0
# Updates handled at once. aiogram starts a task per update without limit; a burst (a thousand
# customers pressing a button of the same broadcast) then has every task queue for the database
# pool (5 + 10 connections), and on PostgreSQL those waiting past the pool's 30 s timeout fail.
# With a bound, the rest wait at Telegram and are fetched as handling catches up. One batch of
# getUpdates: enough to overlap the database with Telegram's round trips (16 answered a burst a
# quarter slower), few enough that a handler waits for a connection milliseconds, not seconds.
UPDATES_AT_ONCE = 100


class PollingLoop:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        *,
        timeout: int = 10,
        at_once: int = UPDATES_AT_ONCE,
    ) -> None:
        self._dispatcher = dispatcher
        self._bot = bot
        self._timeout = timeout
        self._at_once = at_once
        self._stopping = False
        self._running: asyncio.Task[None] | None = None
        self._stopper: asyncio.Task[None] | None = None

    async def run(self) -> None:
        if self._stopping:
            return
        self._running = asyncio.current_task()
        await self._dispatcher.start_polling(
            self._bot,
            handle_signals=False,
            close_bot_session=False,
            polling_timeout=self._timeout,
            tasks_concurrency_limit=self._at_once,
        )

    def stop(self) -> None:
        self._stopping = True
        if self._stopper is None:
            self._stopper = asyncio.create_task(self._stop(), name="stop polling")

    async def _stop(self) -> None:
        # start_polling may not have taken its lock yet: ask until it has, or until run returned.
        async with asyncio.timeout(STOP_WAIT):
            while self._running is not None and not self._running.done():
                with contextlib.suppress(RuntimeError):  # "Polling is not started" (yet)
                    await self._dispatcher.stop_polling()
                    return
                await asyncio.sleep(0.01)
