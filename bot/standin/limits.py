"""Flood control like Telegram's: per private chat, per group and global.

* private chats (positive ids): a token bucket, ``private_burst`` messages at
  once, refilled at ``private_per_second``;
* groups (negative ids): at most ``group_per_minute`` in any 60 s window;
* all chats together: at most ``global_per_second`` in any 1 s window.

The clock is injectable (monotonic seconds) so tests can move time by hand.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass
class FloodConfig:
    enabled: bool = True
    private_burst: int = 3
    private_per_second: float = 1.0
    group_per_minute: int = 20
    global_per_second: int = 30


class _Window:
    """At most ``limit`` events in any ``span``-second sliding window."""

    def __init__(self, limit: int, span: float) -> None:
        self.limit = limit
        self.span = span
        self.times: deque[float] = deque()

    def wait(self, now: float, cost: int) -> float:
        while self.times and self.times[0] <= now - self.span:
            self.times.popleft()
        cost = min(cost, self.limit)
        excess = len(self.times) + cost - self.limit
        if excess <= 0:
            return 0.0
        return self.times[excess - 1] + self.span - now

    def record(self, now: float, cost: int) -> None:
        self.times.extend([now] * cost)


class _Bucket:
    """Token bucket: ``capacity`` tokens, refilled at ``rate`` per second."""

    def __init__(self, capacity: int, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = float(capacity)
        self.updated = now

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(self.capacity), self.tokens + elapsed * self.rate)
        self.updated = now

    def wait(self, now: float, cost: int) -> float:
        self.refill(now)
        need = float(min(cost, self.capacity))
        if self.tokens >= need:
            return 0.0
        return (need - self.tokens) / self.rate

    def record(self, now: float, cost: int) -> None:
        self.refill(now)
        self.tokens -= cost


class FloodControl:
    """Decides whether a send may pass; refusals carry ``retry_after`` seconds."""

    def __init__(self, config: FloodConfig | None = None, clock: Clock | None = None) -> None:
        self.config = config or FloodConfig()
        self.clock: Clock = clock or time.monotonic
        self._global = _Window(self.config.global_per_second, 1.0)
        self._groups: dict[int, _Window] = {}
        self._private: dict[int, _Bucket] = {}
        self._storm_left = 0
        self._storm_retry_after = 1

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self.config.enabled = value

    @property
    def storm_remaining(self) -> int:
        return self._storm_left

    def force_storm(self, calls: int, retry_after: int = 1) -> None:
        """The next ``calls`` sends are refused with ``retry_after`` (even if disabled)."""
        if calls < 0 or retry_after < 1:
            raise ValueError("calls must be >= 0 and retry_after >= 1")
        self._storm_left = calls
        self._storm_retry_after = retry_after

    def check(self, chat_id: int, cost: int = 1) -> int | None:
        """Record the send and return None, or return retry_after (whole seconds, >= 1)."""
        if self._storm_left > 0:
            self._storm_left -= 1
            return self._storm_retry_after
        if not self.config.enabled:
            return None
        now = self.clock()
        chat_limit = self._chat_limit(chat_id, now)
        wait = max(self._global.wait(now, cost), chat_limit.wait(now, cost))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._global.record(now, cost)
        chat_limit.record(now, cost)
        return None

    def _chat_limit(self, chat_id: int, now: float) -> _Window | _Bucket:
        if chat_id < 0:
            if chat_id not in self._groups:
                self._groups[chat_id] = _Window(self.config.group_per_minute, 60.0)
            return self._groups[chat_id]
        if chat_id not in self._private:
            self._private[chat_id] = _Bucket(
                self.config.private_burst, self.config.private_per_second, now
            )
        return self._private[chat_id]
