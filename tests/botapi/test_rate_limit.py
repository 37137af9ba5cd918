"""The limiter keeps Telegram's limits by computed sleeps; a fake time source makes it exact."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable

import pytest

from bot.botapi.rate_limit import STRAGGLER, RateLimiter


class FakeTime:
    """Virtual time: sleepers wake in deadline order, one at a time, when ``run`` advances time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        assert seconds > 0, "a zero sleep would be polling"
        self.sleeps.append(seconds)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (self.now + seconds, next(self._order), future))
        await future

    async def run(self, *calls: Awaitable[float]) -> list[float]:
        """Run ``calls`` concurrently, moving time forward whenever all of them wait."""
        tasks = [asyncio.ensure_future(call) for call in calls]
        while True:
            for _ in range(20):
                await asyncio.sleep(0)
            if all(task.done() for task in tasks):
                return [task.result() for task in tasks]
            assert self._waiters, "everyone waits and nobody sleeps: a deadlock"
            deadline, _, future = heapq.heappop(self._waiters)
            if future.cancelled():  # the sleeper gave up waiting (it was woken otherwise)
                continue
            self.now = max(self.now, deadline)
            future.set_result(None)

    async def one(self, call: Awaitable[float]) -> float:
        return (await self.run(call))[0]


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def limiter(time: FakeTime, **options: float) -> RateLimiter:
    return RateLimiter(time=time, sleep=time.sleep, **options)


async def test_a_private_chat_gets_one_message_per_second(time: FakeTime) -> None:
    rl = limiter(time)
    grants = [await time.one(rl.acquire(5001)) for _ in range(4)]
    assert grants == pytest.approx([0.0, 1.0, 2.0, 3.0])


async def test_a_group_gets_twenty_messages_per_minute(time: FakeTime) -> None:
    rl = limiter(time)
    grants = [await time.one(rl.acquire(-100500)) for _ in range(41)]
    assert all(grants[i + 20] - grants[i] >= 60.0 - 1e-9 for i in range(len(grants) - 20))
    assert grants[20] == pytest.approx(60.0)


async def test_the_bot_sends_at_most_thirty_messages_per_second(time: FakeTime) -> None:
    rl = limiter(time)
    grants = sorted(await time.run(*(rl.acquire(chat) for chat in range(1, 91))))
    assert all(grants[i + 30] - grants[i] >= 1.0 - 1e-9 for i in range(len(grants) - 30))
    assert grants[-1] == pytest.approx(89 / 30)


async def test_a_busy_chat_does_not_hold_up_other_chats(time: FakeTime) -> None:
    rl = limiter(time)
    first, second, other = await time.run(rl.acquire(1), rl.acquire(1), rl.acquire(2))
    assert first == 0.0
    assert second == pytest.approx(1.0)
    assert other == pytest.approx(1 / 30)


async def test_concurrent_callers_for_one_chat_are_spaced(time: FakeTime) -> None:
    rl = limiter(time)
    grants = sorted(await time.run(*(rl.acquire(7) for _ in range(5))))
    assert [b - a for a, b in itertools.pairwise(grants)] == pytest.approx([1.0] * 4)


async def test_waiting_is_one_computed_sleep_not_polling(time: FakeTime) -> None:
    rl = limiter(time)
    await time.one(rl.acquire(5001))
    time.now = 0.25
    await time.one(rl.acquire(5001))
    assert time.sleeps == pytest.approx([0.75])


async def test_pause_chat_holds_only_that_chat(time: FakeTime) -> None:
    rl = limiter(time)
    rl.pause_chat(1, 5)
    other, paused = await time.run(rl.acquire(2), rl.acquire(1))
    assert other == 0.0
    assert paused == pytest.approx(5.0)


async def test_pause_all_holds_every_chat(time: FakeTime) -> None:
    rl = limiter(time)
    rl.pause_all(2)
    grants = await time.run(rl.acquire(1), rl.acquire(2))
    assert min(grants) >= 2.0


async def test_pause_all_while_waiting_for_a_slot_pushes_the_slot_back(time: FakeTime) -> None:
    rl = limiter(time, per_second=1)
    await time.one(rl.acquire(1))

    async def pause_soon() -> float:
        await time.sleep(0.5)
        rl.pause_all(3)  # at 0.5, while acquire(2) waits for its slot at 1.0
        return time.now

    granted, _ = await time.run(rl.acquire(2), pause_soon())
    assert granted == pytest.approx(3.5)


async def test_slow_down_halves_the_pace_and_recover_restores_it(time: FakeTime) -> None:
    rl = limiter(time, min_per_second=4, recovery_step=1)
    rl.slow_down()
    assert rl.per_second == 15
    first, second = await time.run(rl.acquire(1), rl.acquire(2))
    assert second - first == pytest.approx(1 / 15)
    for _ in range(5):
        rl.slow_down()
    assert rl.per_second == 4
    for _ in range(100):
        rl.recover()
    assert rl.per_second == 30


async def test_slowing_down_reaches_callers_already_in_line(time: FakeTime) -> None:
    rl = limiter(time)

    async def refused_soon() -> float:
        await time.sleep(0.05)  # a 429 arrives while six callers wait in line
        rl.slow_down()
        return time.now

    *grants, _ = await time.run(*(rl.acquire(chat) for chat in range(1, 7)), refused_soon())
    gaps = [b - a for a, b in itertools.pairwise(sorted(grants))]
    assert gaps == pytest.approx([1 / 30] + [1 / 15] * 4)  # nothing was booked at the old pace


async def test_a_caller_who_gives_up_in_line_holds_nobody_up(time: FakeTime) -> None:
    rl = limiter(time)
    assert await time.one(rl.acquire(1)) == 0.0
    quitter = asyncio.ensure_future(rl.acquire(2))
    for _ in range(5):
        await asyncio.sleep(0)  # first in line, it sleeps until its moment …
    quitter.cancel()  # … and gives up
    assert await time.one(rl.acquire(3)) == pytest.approx(1 / 30)
    assert quitter.cancelled()


async def test_a_send_counts_in_telegrams_window_until_it_is_answered(time: FakeTime) -> None:
    rl = limiter(time, per_second=2, min_per_second=1)  # a window of two sends a second

    async def send(chat: int, answered_after: float) -> float:
        async with rl.slot(chat) as granted:
            await time.sleep(answered_after)
            return granted

    first, second, third = await time.run(send(1, 1.2), send(2, 0.1), rl.acquire(3))
    assert (first, second) == pytest.approx((0.0, 0.5))
    assert third == pytest.approx(2.2)  # one second after the first send's answer, not at 1.0


async def test_a_send_stuck_on_its_way_holds_the_window_only_so_long(time: FakeTime) -> None:
    rl = limiter(time, per_second=2, min_per_second=1)

    async def stuck() -> float:
        async with rl.slot(1) as granted:
            await time.sleep(60)  # no answer for a minute
            return granted

    _, _, third = await time.run(stuck(), rl.acquire(2), rl.acquire(3))
    assert third == pytest.approx(STRAGGLER + 1.0)  # counted as arrived after STRAGGLER seconds


async def test_a_chats_interval_counts_from_the_answer(time: FakeTime) -> None:
    rl = limiter(time)

    async def slow_send() -> float:
        async with rl.slot(-100500) as granted:
            await time.sleep(2.0)  # Telegram takes its time to answer
            return granted

    assert await time.one(slow_send()) == 0.0
    assert await time.one(rl.acquire(-100500)) == pytest.approx(5.0)  # 2.0 + 3 s, not 3.0


async def test_old_chat_entries_are_pruned(time: FakeTime) -> None:
    rl = limiter(time, per_second=1_000_000)
    for chat in range(1, 1500):
        await time.one(rl.acquire(chat))
    assert len(rl._chat_next) == 1499  # all still fresh: nothing to drop
    time.now += 10
    for chat in range(1500, 2100):
        await time.one(rl.acquire(chat))
    assert len(rl._chat_next) < 1100  # the old ones went at the next pruning


async def test_default_time_source_is_the_event_loop() -> None:
    rl = RateLimiter(private_interval=0.03)
    loop = asyncio.get_running_loop()
    grants = [await rl.acquire(5001) for _ in range(3)]
    assert grants[0] <= loop.time()
    assert all(b - a >= 0.03 - 1e-3 for a, b in itertools.pairwise(grants))


def test_rates_are_checked() -> None:
    with pytest.raises(ValueError):
        RateLimiter(per_second=0)
    with pytest.raises(ValueError):
        RateLimiter(per_second=5, min_per_second=10)
