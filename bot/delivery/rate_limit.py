"""Pace outgoing Telegram messages: Telegram's limits are physics.

About 30 messages per second for the whole bot, one per second in a private chat (``chat_id > 0``)
and 20 per minute in a group or channel (``chat_id < 0``). Each ``acquire`` reserves the next free
slot and sleeps exactly until it; nobody polls. ``pause_chat``/``pause_all`` honour ``retry_after``;
``slow_down``/``recover`` lower the global pace after a 429 and raise it back as sends succeed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

TimeSource = Callable[[], float]
Sleeper = Callable[[float], Awaitable[object]]


class RateLimiter:
    def __init__(
        self,
        *,
        per_second: float = 30.0,
        private_interval: float = 1.0,
        group_interval: float = 3.0,
        min_per_second: float = 1.0,
        recovery_step: float = 0.25,
        time: TimeSource | None = None,
        sleep: Sleeper = asyncio.sleep,
    ) -> None:
        if per_second <= 0 or min_per_second <= 0 or min_per_second > per_second:
            raise ValueError("rates must be positive and min_per_second <= per_second")
        self.max_per_second = per_second
        self.min_per_second = min_per_second
        self.per_second = per_second
        self.private_interval = private_interval
        self.group_interval = group_interval
        self.recovery_step = recovery_step
        self._time = time
        self._sleep = sleep
        self._global_next = 0.0
        self._all_paused_until = 0.0
        self._chat_next: dict[int, float] = {}
        self._chat_paused_until: dict[int, float] = {}
        self._prune_at = 1024

    def now(self) -> float:
        return self._time() if self._time is not None else asyncio.get_running_loop().time()

    def interval_for(self, chat_id: int) -> float:
        return self.private_interval if chat_id > 0 else self.group_interval

    async def acquire(self, chat_id: int | None = None) -> float:
        """Wait for a slot to send one message to ``chat_id``; return the slot's time."""
        if chat_id is not None:
            await self._wait_for_chat(chat_id)
        granted = await self._wait_for_global()
        if chat_id is not None:
            self._chat_next[chat_id] = max(
                self._chat_next.get(chat_id, 0.0), granted + self.interval_for(chat_id)
            )
            self._maybe_prune(granted)
        return granted

    async def _wait_for_chat(self, chat_id: int) -> None:
        while True:
            now = self.now()
            ready = max(
                self._chat_next.get(chat_id, 0.0), self._chat_paused_until.get(chat_id, 0.0)
            )
            if ready <= now:
                # Hold the chat at once, before any await, so a second caller for the same chat
                # queues behind this one; the hold is moved to the real send time in ``acquire``.
                self._chat_next[chat_id] = now + self.interval_for(chat_id)
                return
            await self._sleep(ready - now)

    async def _wait_for_global(self) -> float:
        while True:
            now = self.now()
            slot = max(now, self._global_next, self._all_paused_until)
            self._global_next = slot + 1.0 / self.per_second
            if slot > now:
                await self._sleep(slot - now)
            if self._all_paused_until <= slot:
                return slot
            # ``pause_all`` arrived while we slept for our slot: take a new one after the pause.

    def pause_chat(self, chat_id: int, seconds: float) -> None:
        """Send nothing more to ``chat_id`` for ``seconds`` (Telegram's ``retry_after``)."""
        until = self.now() + max(0.0, seconds)
        self._chat_paused_until[chat_id] = max(self._chat_paused_until.get(chat_id, 0.0), until)

    def pause_all(self, seconds: float) -> None:
        """Send nothing at all for ``seconds``."""
        self._all_paused_until = max(self._all_paused_until, self.now() + max(0.0, seconds))

    def slow_down(self) -> None:
        """A 429 arrived: halve the global pace (not below ``min_per_second``)."""
        self.per_second = max(self.min_per_second, self.per_second / 2)

    def recover(self) -> None:
        """A send succeeded: creep back towards the full pace."""
        self.per_second = min(self.max_per_second, self.per_second + self.recovery_step)

    def _maybe_prune(self, now: float) -> None:
        if len(self._chat_next) + len(self._chat_paused_until) < self._prune_at:
            return
        for table in (self._chat_next, self._chat_paused_until):
            for chat_id in [chat for chat, until in table.items() if until <= now]:
                del table[chat_id]
        self._prune_at = max(1024, 2 * (len(self._chat_next) + len(self._chat_paused_until)))
