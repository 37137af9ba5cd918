"""The pause between rounds of a background loop: a wake cuts it short, a stop ends the loop."""

from __future__ import annotations

import asyncio
import contextlib


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
