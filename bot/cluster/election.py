"""Leader election: run a duty in exactly one process at a time, and hand it over when that dies.

Every candidate tries the lock every ``timing.retry`` seconds. The holder checks every
``timing.heartbeat`` seconds that the lock is still its own and steps down at once when it is not
(its database connection broke, the database restarted). A candidate that takes the lock over from
another process first waits ``timing.grace`` — longer than a heartbeat — so that a holder which lost
the lock without dying has stopped before the new one starts: at most the messages that were in
flight at that moment can go out twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.background import Pause
from bot.cluster.locks import LeaderLock
from bot.cluster.timing import ElectionTiming

log = logging.getLogger(__name__)


class Election:
    def __init__(
        self,
        name: str,
        lock: LeaderLock,
        timing: ElectionTiming,
        *,
        on_elected: Callable[[], Awaitable[None]],
        on_deposed: Callable[[], Awaitable[None]],
    ) -> None:
        self.name = name
        self._lock = lock
        self._timing = timing
        self._on_elected = on_elected
        self._on_deposed = on_deposed
        self._pause = Pause()
        self._seen_taken = False
        self.is_leader = False
        self.terms = 0

    def wake(self) -> None:
        """Look at the lock now (the lock's connection broke, or a test wants a quick answer)."""
        self._pause.wake()

    def stop(self) -> None:
        self._pause.stop()

    async def try_once(self) -> bool:
        """One attempt: on success (after the grace, when taking over) the duty is started."""
        if not await self._lock.try_acquire():
            self._seen_taken = True
            return False
        if self._seen_taken and self._timing.grace > 0:
            log.info(
                "%s: taking over; waiting %.1fs for the last holder to stop",
                self.name,
                self._timing.grace,
            )
            if not await self._wait_out_grace():
                await self._lock.release()
                return False
        self._seen_taken = False
        self.is_leader = True
        self.terms += 1
        log.info("%s: this process leads now", self.name)
        try:
            await self._on_elected()
        except BaseException:
            await self._step_down()
            raise
        return True

    async def _wait_out_grace(self) -> bool:
        """The whole grace (a wake does not cut it short), then: is the lock still ours?"""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timing.grace
        while (remaining := deadline - loop.time()) > 0:
            if self._pause.stopped:
                return False
            self._pause.begin_round()
            await self._pause.wait(remaining)
        return not self._pause.stopped and await self._lock.held()

    async def run(self) -> None:
        """Keep trying until stopped; hold the duty while the lock is ours. Starts from scratch."""
        try:
            while not self._pause.stopped:
                self._pause.begin_round()
                if not self.is_leader:
                    try:
                        await self.try_once()
                    except Exception:
                        log.exception("%s: starting the duty failed; trying again", self.name)
                    if not self.is_leader:
                        await self._pause.wait(self._timing.retry)
                    continue
                await self._pause.wait(self._timing.heartbeat)
                if not self._pause.stopped and not await self._lock.held():
                    log.warning("%s: the lock is lost; stepping down", self.name)
                    await self._step_down()
        finally:
            if self.is_leader:
                await self._step_down()
            await self._lock.release()

    async def _step_down(self) -> None:
        self.is_leader = False
        try:
            await self._on_deposed()
        finally:
            await self._lock.release()
