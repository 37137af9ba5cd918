"""Virtual pacing time for in-process end-to-end tests: Telegram's pace is kept, not waited out.

The bot's rate limiter sleeps in this time (``RateLimiter(pacing=clock)``) and the stand-in's
flood control judges every send by it (``TelegramStandin(flood_clock=clock.now)``), so a bot that
sends too fast still gets its 429 — only the waiting costs no real time.

Time stands still while anything paced is going on, and jumps straight to the earliest sleeper's
deadline once nothing is. "Going on" means:

* a send is under way (inside ``sending()``, from the limiter's grant until Telegram answered),
  so a send always reaches the stand-in at exactly the time its slot was granted, never later
  (which could squeeze it into a busier window) and never earlier;
* a sleeper was woken but has not run yet: it is about to take its slot (and a ``sending``
  block) or to sleep again, and time must not run ahead of it.

Everything else (database, handlers, the test itself) runs in real time and does not hold the
clock: to the limiter and the stand-in it simply looks fast. Time only moves forward, sleepers
wake in deadline order (ties in the order they lay down), and nothing polls: the clock looks
again only when someone lies down, gets up or finishes a send.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(order=True)
class _Sleeper:
    until: float
    order: int
    woken: asyncio.Future[None] = field(compare=False)  # cancelled: the sleeper is gone


class PacingClock:
    """Monotonic virtual seconds shared by the bot's pacing and the stand-in's flood control."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._sleepers: list[_Sleeper] = []
        self._order = itertools.count()
        self._busy = 0  # sends under way + sleepers woken and not yet back
        self._looking = False
        self.skipped = 0.0  # seconds of waiting that cost no real time
        self.jumps = 0
        self.looks = 0  # how often the clock looked for a jump (it never polls)

    def now(self) -> float:
        return self._now

    @property
    def busy(self) -> bool:
        return self._busy > 0

    async def sleep(self, seconds: float) -> None:
        """Return once pacing time has reached ``now() + seconds``."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        sleeper = _Sleeper(self._now + seconds, next(self._order), loop.create_future())
        heapq.heappush(self._sleepers, sleeper)
        self._look_soon()
        try:
            await sleeper.woken
        finally:
            # Woken (and back, or cancelled after waking): it no longer holds time. Cancelled
            # while asleep, its future is cancelled too and the clock skips it.
            if not sleeper.woken.cancelled():
                self._busy -= 1
                self._look_soon()

    @contextlib.contextmanager
    def sending(self) -> Iterator[None]:
        """A send is under way: time stands still until it is done."""
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1
            self._look_soon()

    def _look_soon(self) -> None:
        # After the current step: a task that just woke or finished a send runs on to its next
        # await first (taking its slot or lying down again) before time may move.
        if not self._looking:
            self._looking = True
            asyncio.get_running_loop().call_soon(self._look)

    def _look(self) -> None:
        self._looking = False
        self.looks += 1
        while self._sleepers and self._sleepers[0].woken.done():  # cancelled: gone
            heapq.heappop(self._sleepers)
        if self._busy or not self._sleepers:
            return
        until = self._sleepers[0].until
        if until > self._now:
            self.skipped += until - self._now
            self.jumps += 1
            self._now = until
        while self._sleepers and self._sleepers[0].until <= self._now:
            sleeper = heapq.heappop(self._sleepers)
            if sleeper.woken.done():  # cancelled, though its task has not run to hear it yet
                continue
            self._busy += 1
            sleeper.woken.set_result(None)
