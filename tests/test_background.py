"""The loop of rounds the worker's duties share: rests until the next round, wakes on a clock
jump, logs a failed round and goes on."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import pytest

from bot.background import ClockedRounds
from bot.clock import ManualClock


class Recorder(ClockedRounds):
    def __init__(self, clock: ManualClock, outcomes: list[BaseException | timedelta | None]):
        super().__init__(clock, name="the recorder", max_sleep=60.0, retry_after=60.0)
        self.outcomes = outcomes
        self.rounds: asyncio.Queue[datetime] = asyncio.Queue()

    async def _round(self) -> datetime | None:
        now = self._clock.now()
        self.rounds.put_nowait(now)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return None if outcome is None else now + outcome


async def test_a_failed_round_is_logged_and_a_clock_jump_starts_the_next(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = ManualClock()
    loop = Recorder(clock, [RuntimeError("database is down"), timedelta(hours=1)])
    task = asyncio.create_task(loop.run())
    try:
        first = await asyncio.wait_for(loop.rounds.get(), 5)
        clock.advance(timedelta(minutes=1))  # well before the 60 s retry: the jump wakes it
        second = await asyncio.wait_for(loop.rounds.get(), 5)
        assert second - first == timedelta(minutes=1)
    finally:
        loop.stop()
        await asyncio.wait_for(task, 5)
    (failed,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert failed.getMessage() == "the recorder failed; trying again in 60s"
    assert failed.name == __name__


def test_the_rest_lasts_until_the_next_round_within_bounds() -> None:
    clock = ManualClock()
    loop = Recorder(clock, [])
    now = clock.now()
    assert loop._rest_until(now + timedelta(seconds=12)) == 12
    assert (
        loop._rest_until(now + timedelta(hours=6)) == 60
    )  # max_sleep: a missed jump costs a minute
    assert loop._rest_until(now - timedelta(seconds=5)) == 0.05  # overdue: at once, not a busy loop
    assert loop._rest_until(None) == 60
