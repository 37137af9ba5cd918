"""Leader election with a lock the test controls: who runs the duty, and when it changes hands."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.cluster.election import Election
from bot.cluster.timing import ElectionTiming

FAST = ElectionTiming(retry=0.02, heartbeat=0.02, grace=0.15, dead_peer_after=0.1)


class LockServer:
    """What the database does for advisory locks: one holder per name."""

    def __init__(self) -> None:
        self.holder: FakeLock | None = None


class FakeLock:
    def __init__(self, server: LockServer) -> None:
        self.server = server
        self.on_lost: Callable[[], None] | None = None
        self.attempts = 0
        self.attempted = asyncio.Event()

    async def try_acquire(self) -> bool:
        self.attempts += 1
        self.attempted.set()
        if self.server.holder in (None, self):
            self.server.holder = self
            return True
        return False

    async def held(self) -> bool:
        return self.server.holder is self

    async def release(self) -> None:
        if self.server.holder is self:
            self.server.holder = None

    def session_ended(self) -> None:
        """The database dropped this holder's session (a restart, a network cut)."""
        if self.server.holder is self:
            self.server.holder = None
        if self.on_lost is not None:
            self.on_lost()


class Duty:
    def __init__(self, loop_time: Callable[[], float]) -> None:
        self.running = False
        self.starts: list[float] = []
        self.stops = 0
        self.changed = asyncio.Event()
        self._time = loop_time

    async def start(self) -> None:
        self.running = True
        self.starts.append(self._time())
        self.changed.set()

    async def stop(self) -> None:
        self.running = False
        self.stops += 1
        self.changed.set()

    async def until(self, done: Callable[[], bool]) -> None:
        async with asyncio.timeout(5):
            while not done():
                self.changed.clear()
                await self.changed.wait()


def candidate(server: LockServer, name: str = "worker") -> tuple[Election, FakeLock, Duty]:
    loop = asyncio.get_running_loop()
    lock = FakeLock(server)
    duty = Duty(loop.time)
    election = Election(name, lock, FAST, on_elected=duty.start, on_deposed=duty.stop)
    lock.on_lost = election.wake
    return election, lock, duty


async def stopped(election: Election, task: asyncio.Task[None]) -> None:
    election.stop()
    await asyncio.wait_for(task, 5)


async def test_the_first_candidate_leads_at_once_and_steps_down_when_stopped():
    server = LockServer()
    election, lock, duty = candidate(server)

    assert await election.try_once()
    assert duty.running and election.is_leader and server.holder is lock

    task = asyncio.create_task(election.run())
    await stopped(election, task)
    assert not duty.running and duty.stops == 1
    assert server.holder is None  # released for the next process


async def test_only_one_of_two_leads_and_the_other_takes_over_when_it_dies():
    server = LockServer()
    first, first_lock, first_duty = candidate(server)
    second, second_lock, second_duty = candidate(server)
    assert await first.try_once()
    assert not await second.try_once()
    standby = asyncio.create_task(second.run())
    try:
        async with asyncio.timeout(5):
            while second_lock.attempts < 4:  # several tries go by: still only the first leads
                second_lock.attempted.clear()
                await second_lock.attempted.wait()
        assert first_duty.running and not second_duty.running

        died_at = asyncio.get_running_loop().time()
        first_lock.session_ended()  # kill -9: the database frees the lock

        async def keep_waking() -> (
            None
        ):  # wakes (commits elsewhere, say) do not cut the grace short
            for _ in range(1000):
                if second_duty.running:
                    return
                second.wake()
                await asyncio.sleep(0.005)

        waker = asyncio.create_task(keep_waking())
        await second_duty.until(lambda: second_duty.running)
        await waker

        # The newcomer waited out the grace before starting: a holder that lost the lock without
        # dying has checked its heartbeat and stopped by then.
        assert second_duty.starts[0] - died_at >= FAST.grace
        assert second.is_leader and second.terms == 1
    finally:
        await stopped(second, standby)


async def test_a_leader_whose_session_ends_steps_down_and_leads_again_when_it_can():
    server = LockServer()
    election, lock, duty = candidate(server)
    assert await election.try_once()
    task = asyncio.create_task(election.run())
    try:
        lock.session_ended()
        # It stops, and — nobody else took the lock — leads again.
        await duty.until(lambda: duty.stops == 1 and len(duty.starts) == 2)
        assert duty.running and election.terms == 2
    finally:
        await stopped(election, task)


async def test_a_duty_that_fails_to_start_releases_the_lock_and_is_retried():
    server = LockServer()
    attempts = 0
    started = asyncio.Event()

    async def flaky_start() -> None:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise RuntimeError("Telegram is not reachable yet")
        started.set()

    async def no_stop() -> None:
        return None

    election = Election(
        "worker", FakeLock(server), FAST, on_elected=flaky_start, on_deposed=no_stop
    )
    with pytest.raises(RuntimeError):
        await election.try_once()
    assert server.holder is None and not election.is_leader

    task = asyncio.create_task(election.run())
    try:
        await asyncio.wait_for(started.wait(), 5)
        assert election.is_leader and attempts == 2
    finally:
        await stopped(election, task)


def test_timings_hand_over_within_the_takeover_even_when_a_machine_vanishes():
    timing = ElectionTiming.for_takeover(timedelta(seconds=15))
    # The database notices the dead peer, a candidate tries, then waits out the grace.
    assert timing.dead_peer_after + timing.retry + timing.grace < 15
    # A holder that lost its lock checks it more often than a newcomer waits before starting.
    assert timing.heartbeat < timing.grace
