"""Background loops: the pause between rounds (a wake cuts it short, a stop ends the loop), and
the loop of rounds on the bot's clock that the worker's duties share."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime

from bot.clock import Clock


class Pause:
    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.stopped = False

    def wake(self) -> None:
        """Start the next round now (a round in progress finishes first)."""
        self._event.set()

    def stop(self) -> None:
        """End the loop after the round in progress; for good, even before it started."""
        self.stopped = True
        self._event.set()

    def begin_round(self) -> None:
        """Forget wakes that came before this round: the round itself will see their cause."""
        self._event.clear()

    async def wait(self, seconds: float) -> None:
        """Sleep until woken, stopped, or ``seconds`` pass."""
        if self.stopped:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout=seconds)


class ClockedRounds:
    """A background loop of rounds on the bot's clock, for the elected worker's duties.

    Each round says when the next is due; the loop rests until then, at most ``max_sleep`` at a
    time, and a clock jump (tests, the sandbox's "+1 day") or ``wake`` starts the next round at
    once. A round that fails is logged and tried again after ``retry_after``.
    """

    def __init__(self, clock: Clock, *, name: str, max_sleep: float, retry_after: float) -> None:
        self._clock = clock
        self._name = name
        self._max_sleep = max_sleep
        self._retry_after = retry_after
        self._pause = Pause()
        clock.subscribe(self.wake)

    def wake(self) -> None:
        self._pause.wake()

    def stop(self) -> None:
        self._pause.stop()

    async def run(self) -> None:
        log = logging.getLogger(type(self).__module__)
        while not self._pause.stopped:
            self._pause.begin_round()
            try:
                pause = self._rest_until(await self._round())
            except Exception:
                log.exception("%s failed; trying again in %gs", self._name, self._retry_after)
                pause = self._retry_after
            await self._pause.wait(pause)

    async def _round(self) -> datetime | None:
        """Do the round's work; when the next round is due (None: no sooner than ``max_sleep``)."""
        raise NotImplementedError

    def _rest_until(self, due: datetime | None) -> float:
        if due is None:
            return self._max_sleep
        seconds = (due - self._clock.now()).total_seconds()
        return min(max(seconds, 0.05), self._max_sleep)
