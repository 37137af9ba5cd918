"""Event-driven waiting: no sleeps, every wait bounded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from bot.standin.errors import StandinTimeout

T = TypeVar("T")


class Pulse:
    """Wakes every waiter whenever the world changes."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait(self, timeout: float | None) -> bool:
        """Wait for the next change; False when ``timeout`` seconds pass first."""
        event = self._event
        try:
            async with asyncio.timeout(timeout):
                await event.wait()
        except TimeoutError:
            return False
        return True


async def wait_until(
    pulse: Pulse,
    check: Callable[[], T | None],
    timeout: float,
    describe: Callable[[], str],
) -> T:
    """Return the first non-None ``check()`` result, re-checking on every pulse."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = check()
        if found is not None:
            return found
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise StandinTimeout(f"timed out after {timeout:g}s: {describe()}")
        await pulse.wait(remaining)
