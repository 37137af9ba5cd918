"""The sandbox's clock: real time that can be pushed forward, waking whoever listens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ShiftedClock

START = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def test_it_runs_with_real_time_and_jumps_forward_on_demand():
    real = [START]
    clock = ShiftedClock(lambda: real[0])
    woken: list[datetime] = []
    clock.subscribe(lambda: woken.append(clock.now()))
    assert clock.now() == START

    real[0] = START + timedelta(seconds=30)  # time passes by itself
    assert clock.now() == START + timedelta(seconds=30)
    assert woken == []

    assert clock.advance(timedelta(days=1)) == START + timedelta(days=1, seconds=30)
    assert woken == [START + timedelta(days=1, seconds=30)]
    assert clock.shift == timedelta(days=1)


@pytest.mark.parametrize("delta", [timedelta(), timedelta(minutes=-15)])
def test_it_never_goes_back(delta):
    clock = ShiftedClock(lambda: START)
    with pytest.raises(ValueError):
        clock.advance(delta)
    assert clock.now() == START
