"""The outbox worker: delivers what services queued, lane by lane, within Telegram's limits.

Wiring: ``db.on_commit(worker.wake, work={OUTBOX_WORK})``, then run ``await worker.run()`` in a
task; ``worker.stop()`` ends it gracefully. (The worker subscribes to the clock itself, so a
hand-moved clock wakes it.)

A lane is a chat (or, for shop webhooks, an order). Rows of one lane go strictly in id order, one
at a time; different lanes run concurrently. A row is marked sent only after Telegram or the shop
accepted it, in its own transaction right after the call, so a crash loses nothing and repeats at
most the messages that were in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timedelta

import aiohttp
from aiogram import Bot

from bot.botapi.rate_limit import RateLimiter
from bot.delivery.outcomes import (
    TELEGRAM_BACKOFF,
    WEBHOOK_BACKOFF,
    Backoff,
    Outcome,
    RateLimited,
    Retry,
    Unreachable,
)
from bot.delivery.outreach_calls import OutreachCalls
from bot.delivery.platform_calls import PlatformCalls
from bot.delivery.queue import Lane, lane_heads, lane_rows
from bot.delivery.sender import (
    Deliverer,
    DeliverySettings,
    DeliveryStats,
    OnUnreachable,
    Ready,
    ShopWatch,
    TelegramWatch,
)
from bot.delivery.webhooks import DEFAULT_TIMEOUT
from bot.domain.incidents import DEFAULT_WEBHOOK_GIVE_UP
from storage.models import OutboxMessage
from storage.repositories.outbox import TELEGRAM
from storage.uow import Database

# Scans of the outbox start at most this often (seconds); a quiet worker scans at once when woken.
SCAN_GAP = 0.02

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
        jitter_draw: Callable[[], float] = random.random,
        webhook_give_up: timedelta | None = DEFAULT_WEBHOOK_GIVE_UP,
        shop_watch: ShopWatch | None = None,
        telegram_watch: TelegramWatch | None = None,
        platform_calls: PlatformCalls | None = None,
        outreach_calls: OutreachCalls | None = None,
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
                draw=jitter_draw,
                webhook_give_up=webhook_give_up,
            ),
            limiter=self.limiter,
            on_unreachable=self._notify_unreachable,
            shop_watch=shop_watch,
            telegram_watch=telegram_watch,
            platform_calls=platform_calls,
            outreach_calls=outreach_calls,
            stats=self.stats,
            logger=self._log,
        )
        self._lanes: dict[Lane, asyncio.Task[None]] = {}
        # Due lanes the last scan found but had no room for: started as running lanes finish,
        # so a long queue costs one scan per batch of lanes, not one per lane.
        self._backlog: deque[Lane] = deque()
        # Running lanes: the first and last id of the rows they read, and those a scan found
        # rows outside of (they read again when done; the others end without another query).
        self._reading: dict[Lane, tuple[int, int]] = {}
        self._again: set[Lane] = set()
        self._pacing: set[Lane] = set()  # waiting for a rate-limit slot
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
            loop = asyncio.get_running_loop()
            while not self._stopping:
                self._woken.clear()
                scanned_at = loop.time()
                try:
                    next_due = await self._dispatch()
                except Exception:
                    self._log.exception("outbox scan failed")
                    next_due = None
                if not self._stopping:
                    await self._idle(next_due)
                # Commits that come back to back (a shop's burst, a round of timers) share a scan.
                gap = SCAN_GAP - (loop.time() - scanned_at)
                if gap > 0 and not self._stopping:
                    await asyncio.sleep(gap)
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
            async with self.db.read() as uow:
                heads = await lane_heads(
                    uow, now=uow.clock.now(), limit=self.batch_size + len(self._lanes)
                )
            self._backlog.clear()
            for lane in heads.due:
                if lane in self._lanes:
                    self._look_again_if_new(lane, heads.span[lane])
                    continue
                if self._stopping:
                    continue
                if room <= 0:
                    self._saturated = True
                    self._backlog.append(lane)
                    continue
                self._start(lane)
                room -= 1
            return heads.next_due_at

    def _look_again_if_new(self, lane: Lane, span: tuple[int, int]) -> None:
        """A scan found ``lane`` running; rows it has not read make it read once more."""
        read = self._reading.get(lane)
        oldest, newest = span
        if read is None or oldest < read[0] or newest > read[1]:
            self._again.add(lane)

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
                self._reading.pop(lane, None)
                self._again.discard(lane)
            while self._backlog and not self._stopping and len(self._lanes) < self.batch_size:
                waiting = self._backlog.popleft()
                if waiting not in self._lanes:
                    self._start(waiting)
            if self._saturated and not self._backlog:
                self._saturated = False
                self._woken.set()  # the backlog is through: look for lanes it did not know

        task.add_done_callback(done)

    async def _lane(self, lane: Lane) -> None:
        _QUIET.set(True)
        try:
            while not self._stopping:
                self._again.discard(lane)  # a scan from now on compares with what is read next
                self._reading.pop(lane, None)
                async with self.db.read() as uow:
                    rows = list(await lane_rows(uow, lane))
                if not rows:
                    return
                self._reading[lane] = (rows[0].id, rows[-1].id)
                for row in rows:
                    if self._stopping or row.next_attempt_at > self.db.clock.now():
                        return  # the head waits for its retry: this lane waits with it
                    outcome = await self._send(lane, row)
                    if outcome is None or isinstance(outcome, Retry):
                        return
                    if isinstance(outcome, Unreachable):
                        self._again.add(lane)  # the chat's other rows were failed too: look again
                        break
                if lane not in self._again:
                    return  # no scan saw a row this lane has not read: nothing is left
        except Exception:
            self._log.exception("outbox lane %s/%s stopped on an error", lane.channel, lane.key)

    async def _send(self, lane: Lane, row: OutboxMessage) -> Outcome | None:
        """Send one row, waiting out 429s in place; ``None`` if the worker stopped first."""
        while True:
            ready = await self._deliverer.prepare(row)
            async with self._deliverer.in_flight:  # from the call until its outcome is stored
                if isinstance(ready, Ready):
                    outcome = await self._call(lane, ready)
                else:
                    outcome = None if self._stopping else ready  # nothing to send: record it
                if outcome is None:
                    return None
                outcome = await self._deliverer.record(row, outcome)
            if not isinstance(outcome, RateLimited):
                return outcome

    async def _call(self, lane: Lane, ready: Ready) -> Outcome | None:
        """Make the call, a Telegram one inside its rate-limit slot; ``None`` if stopped first."""
        if self._stopping:
            return None
        telegram = ready.row.channel == TELEGRAM
        self._pacing.add(lane)
        try:
            async with (
                self.limiter.slot(ready.row.chat_id) if telegram else contextlib.nullcontext()
            ):
                self._pacing.discard(lane)
                if self._stopping:
                    return None
                return await self._deliverer.send(ready)
        finally:
            self._pacing.discard(lane)

    async def _notify_unreachable(self, chat_id: int) -> None:
        token = _QUIET.set(False)  # the service queues alerts for managers: those must wake us
        try:
            await self._on_unreachable(chat_id)
        finally:
            _QUIET.reset(token)

    # -- shutdown ------------------------------------------------------------------------------

    async def _finish_in_flight(self) -> None:
        """Lanes waiting for a slot end at once; every other lane ends after the step it is in:
        a send and its record, or a database read (cancelled half-way, a connection is thrown
        away, and SQLite's driver can hang the shutdown over it)."""
        for lane, task in list(self._lanes.items()):
            if lane in self._pacing:
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
