"""The outbox worker: delivers what services queued, lane by lane, within Telegram's limits.

Wiring: ``db.on_commit(worker.wake)``, then run ``await worker.run()`` in a task; ``worker.stop()``
ends it gracefully. (The worker subscribes to the clock itself, so a hand-moved clock wakes it.)

A lane is a chat (or, for shop webhooks, an order). Rows of one lane go strictly in id order, one
at a time; different lanes run concurrently. A row is marked sent only after Telegram or the shop
accepted it, in its own transaction right after the call, so a crash loses nothing and repeats at
most the messages that were in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextvars import ContextVar
from datetime import datetime

import aiohttp
from aiogram import Bot

from bot.delivery.outcomes import (
    TELEGRAM_BACKOFF,
    WEBHOOK_BACKOFF,
    Backoff,
    Outcome,
    RateLimited,
    Retry,
    Unreachable,
)
from bot.delivery.queue import Lane, lane_heads, lane_rows
from bot.delivery.rate_limit import RateLimiter
from bot.delivery.sender import (
    Deliverer,
    DeliverySettings,
    DeliveryStats,
    OnUnreachable,
)
from bot.delivery.webhooks import DEFAULT_TIMEOUT
from storage.models import OutboxMessage
from storage.repositories.outbox import TELEGRAM
from storage.uow import Database

# Set inside lane tasks: the worker's own commits (mark sent, retry later) must not wake it again.
_QUIET: ContextVar[bool] = ContextVar("vykup_outbox_quiet", default=False)


class OutboxWorker:
    def __init__(
        self,
        db: Database,
        bot: Bot,
        *,
        http: aiohttp.ClientSession,
        webhook_secret: str | None,
        on_unreachable: OnUnreachable,
        limiter: RateLimiter | None = None,
        batch_size: int = 500,
        concurrency: int = 30,
        poll_interval: float = 1.0,
        telegram_backoff: Backoff = TELEGRAM_BACKOFF,
        webhook_backoff: Backoff = WEBHOOK_BACKOFF,
        webhook_timeout: float = DEFAULT_TIMEOUT,
        stop_grace: float = 10.0,
        logger: logging.Logger | None = None,
    ) -> None:
        if batch_size < 1 or concurrency < 1:
            raise ValueError("batch_size and concurrency must be positive")
        self.db = db
        self.limiter = limiter or RateLimiter()
        self.stats = DeliveryStats()
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.stop_grace = stop_grace
        self._log = logger or logging.getLogger("bot.delivery")
        self._on_unreachable = on_unreachable
        self._deliverer = Deliverer(
            db,
            bot,
            http,
            settings=DeliverySettings(
                webhook_secret=webhook_secret,
                telegram_backoff=telegram_backoff,
                webhook_backoff=webhook_backoff,
                webhook_timeout=webhook_timeout,
                concurrency=concurrency,
            ),
            limiter=self.limiter,
            on_unreachable=self._notify_unreachable,
            stats=self.stats,
            logger=self._log,
        )
        self._lanes: dict[Lane, asyncio.Task[None]] = {}
        self._sending: set[Lane] = set()
        self._woken = asyncio.Event()
        self._dispatching = asyncio.Lock()
        self._saturated = False
        self._stopping = False
        self._running = False
        db.clock.subscribe(self.wake)  # a hand-moved clock makes retries due: look again

    # -- control -------------------------------------------------------------------------------

    def wake(self) -> None:
        """Something was queued (or the clock moved): look at the outbox now. Plain and sync."""
        if not _QUIET.get():
            self._woken.set()

    def stop(self) -> None:
        """Stop taking new rows; ``run`` returns once in-flight sends are recorded."""
        self._stopping = True
        self._woken.set()
        if not self._running:
            for task in self._lanes.values():
                task.cancel()

    @property
    def active_lanes(self) -> int:
        return len(self._lanes)

    async def run(self) -> None:
        """Deliver until ``stop()``; cancelling the task drops in-flight sends (they repeat later)."""
        self._stopping = False
        self._running = True
        try:
            while not self._stopping:
                self._woken.clear()
                try:
                    next_due = await self._dispatch()
                except Exception:
                    self._log.exception("outbox scan failed")
                    next_due = None
                if not self._stopping:
                    await self._idle(next_due)
            await self._finish_in_flight()
        finally:
            self._running = False
            await self._cancel_lanes()

    async def drain(self, timeout: float = 30.0) -> None:
        """Deliver until no row is due any more (rows waiting for a retry stay). For tests."""
        if not self._running:
            self._stopping = False
        async with asyncio.timeout(timeout):
            while True:
                await self._dispatch()
                if not self._lanes:
                    return
                await asyncio.wait(set(self._lanes.values()))

    # -- scheduling ----------------------------------------------------------------------------

    async def _dispatch(self) -> datetime | None:
        """Start a lane task for every lane whose head is due; return when the next head is due."""
        async with self._dispatching:
            room = self.batch_size - len(self._lanes)
            if room <= 0:
                self._saturated = True
                return None
            async with self.db.uow() as uow:
                heads = await lane_heads(
                    uow, now=uow.clock.now(), limit=self.batch_size + len(self._lanes)
                )
            for lane in heads.due:
                if lane in self._lanes or self._stopping:
                    continue
                if room <= 0:
                    self._saturated = True
                    break
                self._start(lane)
                room -= 1
            return heads.next_due_at

    async def _idle(self, next_due: datetime | None) -> None:
        timeout = self.poll_interval
        if next_due is not None:
            until_due = (next_due - self.db.clock.now()).total_seconds()
            timeout = min(timeout, max(0.0, until_due))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._woken.wait(), timeout)

    def _start(self, lane: Lane) -> None:
        task = asyncio.create_task(self._lane(lane), name=f"outbox-lane-{lane.channel}-{lane.key}")
        self._lanes[lane] = task

        def done(_: asyncio.Task[None]) -> None:
            if self._lanes.get(lane) is task:
                del self._lanes[lane]
            if self._saturated:
                self._saturated = False
                self._woken.set()

        task.add_done_callback(done)

    async def _lane(self, lane: Lane) -> None:
        _QUIET.set(True)
        try:
            while not self._stopping:
                async with self.db.uow() as uow:
                    rows = list(await lane_rows(uow, lane))
                if not rows:
                    return
                for row in rows:
                    if self._stopping or row.next_attempt_at > self.db.clock.now():
                        return  # the head waits for its retry: this lane waits with it
                    outcome = await self._send(lane, row)
                    if outcome is None or isinstance(outcome, Retry):
                        return
                    if isinstance(outcome, Unreachable):
                        break  # the chat's other rows were failed too: look again
        except Exception:
            self._log.exception("outbox lane %s/%s stopped on an error", lane.channel, lane.key)

    async def _send(self, lane: Lane, row: OutboxMessage) -> Outcome | None:
        """Send one row, waiting out 429s in place; ``None`` if the worker stopped first."""
        while True:
            if row.channel == TELEGRAM:
                await self.limiter.acquire(row.chat_id)
            if self._stopping:
                return None
            self._sending.add(lane)
            try:
                outcome = await self._deliverer.attempt(row)
            finally:
                self._sending.discard(lane)
            if not isinstance(outcome, RateLimited):
                return outcome

    async def _notify_unreachable(self, chat_id: int) -> None:
        token = _QUIET.set(False)  # the service queues alerts for managers: those must wake us
        try:
            await self._on_unreachable(chat_id)
        finally:
            _QUIET.reset(token)

    # -- shutdown ------------------------------------------------------------------------------

    async def _finish_in_flight(self) -> None:
        for lane, task in list(self._lanes.items()):
            if lane not in self._sending:
                task.cancel()
        tasks = set(self._lanes.values())
        if tasks:
            await asyncio.wait(tasks, timeout=self.stop_grace)

    async def _cancel_lanes(self) -> None:
        tasks = list(self._lanes.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
