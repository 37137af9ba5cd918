"""How often one address and one link may ask for the page: fixed one-minute windows, counted in
this process's memory (several web processes each count their own: the limits multiply by their
number, which is still enough to stop someone hammering one link or guessing links)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_SECONDS = 60.0
MAX_KEYS = 50_000  # beyond this many addresses and links in a minute, old windows are dropped


@dataclass
class PageLimits:
    """Kept on the web application (one per process), never at module level."""

    per_ip: int = 60
    per_token: int = 20
    clock: Callable[[], float] = time.monotonic
    _windows: dict[str, tuple[float, int]] = field(default_factory=dict, repr=False)

    def allow(self, ip: str, token: str) -> bool:
        """Count one request; False when the address or the link has had its share."""
        now = self.clock()
        if len(self._windows) >= MAX_KEYS:
            self._forget_old(now)
        ip_ok = self._count(f"ip:{ip}", now) <= self.per_ip
        token_ok = self._count(f"t:{token[:128]}", now) <= self.per_token
        return ip_ok and token_ok

    def _count(self, key: str, now: float) -> int:
        start, count = self._windows.get(key, (now, 0))
        if now - start >= WINDOW_SECONDS:
            start, count = now, 0
        self._windows[key] = (start, count + 1)
        return count + 1

    def _forget_old(self, now: float) -> None:
        self._windows = {
            key: window for key, window in self._windows.items() if now - window[0] < WINDOW_SECONDS
        }
        if len(self._windows) >= MAX_KEYS:  # a flood of fresh keys: start counting anew
            self._windows.clear()
