"""Runs housekeeping (``bot.services.housekeeping``) at start and then every few hours.

Sleeps at most ``max_sleep`` at a time and wakes on a clock jump, so a moved clock (tests, the
sandbox's "+1 day") prunes on time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.background import Pause
from bot.clock import Clock
from bot.domain.durations import format_duration
from bot.services.housekeeping import Pruned, prune
from storage.uow import Database

log = logging.getLogger(__name__)

EVERY = timedelta(hours=6)


class Housekeeping:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        keep: timedelta,
        *,
        every: timedelta = EVERY,
        on_pruned: Callable[[Pruned], None] = lambda _pruned: None,
        max_sleep: float = 60.0,
        retry_after: float = 60.0,
    ) -> None:
        self._db = db
        self._clock = clock
        self._keep = keep
        self._every = every
        self._on_pruned = on_pruned
        self._max_sleep = max_sleep
        self._retry_after = retry_after
        self._next_at: datetime | None = None  # None: at once
        self._round = asyncio.Lock()  # a caller (a test) and the loop never prune side by side
        self._pause = Pause()
        clock.subscribe(self.wake)

    def wake(self) -> None:
        self._pause.wake()

    def stop(self) -> None:
        self._pause.stop()

    async def run_once(self) -> Pruned | None:
        """Prune if a round is due; what went, or None when it was not due."""
        async with self._round:
            now = self._clock.now()
            if self._next_at is not None and now < self._next_at:
                return None
            pruned = await prune(self._db, keep=self._keep, now=now)
            self._next_at = now + self._every
        if pruned.messages or pruned.timers:
            log.info(
                "housekeeping: deleted %d delivered messages and %d timers older than %s",
                pruned.messages,
                pruned.timers,
                format_duration(self._keep),
            )
        self._on_pruned(pruned)
        return pruned

    async def run(self) -> None:
        while not self._pause.stopped:
            self._pause.begin_round()
            try:
                await self.run_once()
                pause = self._seconds_to_next()
            except Exception:
                log.exception("housekeeping failed; trying again later")
                pause = self._retry_after
            await self._pause.wait(pause)

    def _seconds_to_next(self) -> float:
        if self._next_at is None:
            return 0.0
        seconds = (self._next_at - self._clock.now()).total_seconds()
        return min(max(seconds, 0.05), self._max_sleep)
