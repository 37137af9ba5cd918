"""Runs housekeeping (``bot.services.housekeeping``) at start and then every few hours.

Sleeps at most ``max_sleep`` at a time and wakes on a clock jump, so a moved clock (tests, the
sandbox's "+1 day") prunes on time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.background import ClockedRounds
from bot.clock import Clock
from bot.domain.durations import format_duration
from bot.services.housekeeping import Pruned, erase_refund_details, prune
from storage.uow import Database

log = logging.getLogger(__name__)

EVERY = timedelta(hours=6)


class Housekeeping(ClockedRounds):
    def __init__(
        self,
        db: Database,
        clock: Clock,
        keep: timedelta | None,
        *,
        refund_details_keep: timedelta | None = None,
        every: timedelta = EVERY,
        on_pruned: Callable[[Pruned], None] = lambda _pruned: None,
        max_sleep: float = 60.0,
        retry_after: float = 60.0,
    ) -> None:
        super().__init__(clock, name="housekeeping", max_sleep=max_sleep, retry_after=retry_after)
        self._db = db
        self._keep = keep  # None: delivery history is kept (DELIVERY_HISTORY_KEEP=off)
        self._refund_details_keep = refund_details_keep  # None: REFUND_DETAILS_KEEP=off
        self._every = every
        self._on_pruned = on_pruned
        self._next_at: datetime | None = None  # None: at once
        self._round_lock = asyncio.Lock()  # a caller (a test) and the loop never prune side by side

    async def run_once(self) -> Pruned | None:
        """Prune if a round is due; what went, or None when it was not due."""
        async with self._round_lock:
            now = self._clock.now()
            if self._next_at is not None and now < self._next_at:
                return None
            pruned = (
                await prune(self._db, keep=self._keep, now=now)
                if self._keep is not None
                else Pruned()
            )
            if self._refund_details_keep is not None:
                erased = await erase_refund_details(
                    self._db, keep=self._refund_details_keep, now=now
                )
                pruned = replace(pruned, refund_details=erased)
            self._next_at = now + self._every
        if pruned.refund_details:
            log.info("housekeeping: erased the bank details of %d refunds", pruned.refund_details)
        if self._keep is not None and (pruned.messages or pruned.timers):
            log.info(
                "housekeeping: deleted %d delivered messages and %d timers older than %s",
                pruned.messages,
                pruned.timers,
                format_duration(self._keep),
            )
        self._on_pruned(pruned)
        return pruned

    async def _round(self) -> datetime | None:
        await self.run_once()
        return self._next_at
