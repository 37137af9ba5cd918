"""The virtual pacing clock: waiting costs no real time, and Telegram's limits still hold in it."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.botapi.rate_limit import RateLimiter
from bot.standin.limits import FloodControl
from bot.standin.pacing import PacingClock

HOUR = 3600.0


async def settle() -> None:
    """Let every task that can run, run (the clock gets every chance to move wrongly)."""
    for _ in range(20):
        await asyncio.sleep(0)


async def test_sleepers_wake_in_deadline_order_without_waiting_in_real_time() -> None:
    clock = PacingClock()
    woke: list[tuple[str, float]] = []

    async def nap(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append((name, clock.now()))

    async with asyncio.timeout(5):  # hours of pacing time, no real waiting
        await asyncio.gather(nap("late", 3 * HOUR), nap("first", HOUR), nap("tie", HOUR))
        await nap("next", 2 * HOUR)

    assert woke == [("first", HOUR), ("tie", HOUR), ("late", 3 * HOUR), ("next", 5 * HOUR)]
    assert clock.skipped == 5 * HOUR


async def test_time_stands_still_while_a_send_is_under_way() -> None:
    clock = PacingClock()
    answered = asyncio.Event()

    async def send() -> float:
        with clock.sending():
            await answered.wait()
            return clock.now()

    sender = asyncio.create_task(send())
    sleeper = asyncio.create_task(clock.sleep(10))
    await settle()
    assert clock.now() == 0.0 and not sleeper.done()

    answered.set()
    assert await sender == 0.0  # the send arrived at the time it set off
    await asyncio.wait_for(sleeper, 5)
    assert clock.now() == 10.0


async def test_a_woken_sleeper_sends_at_its_own_time_before_time_moves_on() -> None:
    clock = PacingClock()
    arrivals: list[tuple[str, float]] = []

    async def lane(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        with clock.sending():  # taken before the lane's first await after waking
            await settle()  # the send travels; other lanes' deadlines must wait
            arrivals.append((name, clock.now()))

    async with asyncio.timeout(5):
        await asyncio.gather(lane("b", 2.0), lane("a", 1.0), lane("c", 2.5))

    assert arrivals == [("a", 1.0), ("b", 2.0), ("c", 2.5)]


async def test_limits_hold_in_pacing_time_and_no_send_arrives_early() -> None:
    """Many lanes through the real limiter into the real flood control, both on one clock."""
    clock = PacingClock()
    limiter = RateLimiter(pacing=clock)
    flood = FloodControl(clock=clock.now)
    chats = [*range(1, 61), -100, -200]
    arrivals: dict[int, list[tuple[float, float]]] = {chat: [] for chat in chats}
    refused: list[int] = []
    seen: list[float] = []  # pacing time at every arrival, in the order they came

    async def lane(chat_id: int, messages: int) -> None:
        for _ in range(messages):
            async with limiter.slot(chat_id) as granted:
                await settle()  # the request travels to Telegram
                arrivals[chat_id].append((granted, clock.now()))
                seen.append(clock.now())
                if flood.check(chat_id) is not None:
                    refused.append(chat_id)

    async with asyncio.timeout(10):  # 12 s and more of pacing time
        await asyncio.gather(*(lane(chat, 5) for chat in chats))

    assert refused == []
    assert seen == sorted(seen)  # time only moved forward
    sends = [send for chat in chats for send in arrivals[chat]]
    assert all(arrived == granted for granted, arrived in sends)  # never early, never late
    for chat in chats:
        times = [arrived for _, arrived in arrivals[chat]]
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert min(gaps) >= (1.0 if chat > 0 else 3.0)
    assert max(arrived for _, arrived in sends) >= 12.0


async def test_a_bot_that_sends_too_fast_is_still_refused() -> None:
    clock = PacingClock()
    flood = FloodControl(clock=clock.now)
    answers = []
    for _ in range(5):
        answers.append(flood.check(5001))
        await clock.sleep(0.2)  # five messages a second to one person
    assert answers[:3] == [None, None, None]
    assert 1 in answers[3:]


async def test_cancelled_sleepers_neither_wake_nor_hold_time() -> None:
    clock = PacingClock()
    with clock.sending():
        early = asyncio.create_task(clock.sleep(5))
        late = asyncio.create_task(clock.sleep(10))
        await settle()
        early.cancel()
        await settle()
    await asyncio.wait_for(late, 5)
    assert early.cancelled()
    assert clock.now() == 10.0 and clock.jumps == 1  # straight past the cancelled deadline

    woken = asyncio.create_task(clock.sleep(1))
    await asyncio.sleep(0)  # it lies down; the clock looks next and wakes it …
    asyncio.get_running_loop().call_soon(woken.cancel)  # … and it is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await woken
    assert not clock.busy
    await asyncio.wait_for(clock.sleep(1), 5)  # time still moves
    assert clock.now() == 12.0


async def test_a_sleeper_cancelled_just_before_time_moves_is_skipped() -> None:
    clock = PacingClock()
    with clock.sending():
        doomed = asyncio.create_task(clock.sleep(1))
        await settle()
    doomed.cancel()  # the clock looks (after the send) before the task hears of its cancel
    with pytest.raises(asyncio.CancelledError):
        await doomed
    assert not clock.busy
    await asyncio.wait_for(clock.sleep(2), 5)
    assert clock.now() == 2.0


async def test_the_clock_does_not_poll_while_time_is_held() -> None:
    clock = PacingClock()
    with clock.sending():
        sleepers = [asyncio.create_task(clock.sleep(n)) for n in range(1, 11)]
        await settle()
        looks = clock.looks
        await settle()
        assert clock.looks == looks <= 1 and clock.now() == 0.0
    async with asyncio.timeout(5):
        await asyncio.gather(*sleepers)
    assert clock.now() == 10.0 and clock.jumps == 10


async def test_a_zero_sleep_does_not_move_time() -> None:
    clock = PacingClock(start=7.0)
    await clock.sleep(0)
    await clock.sleep(-1)
    assert clock.now() == 7.0 and clock.jumps == 0
