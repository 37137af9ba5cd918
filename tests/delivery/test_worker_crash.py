"""Nothing is lost: a worker killed while sends are in flight, and a new one started."""

from __future__ import annotations

import asyncio
from collections import Counter

from bot.botapi.rate_limit import RateLimiter
from storage.uow import Database
from tests.delivery.conftest import MakeWorker
from tests.delivery.fakes import FakeTelegram
from tests.delivery.helpers import outbox, queue_texts

CHATS = (5001, 5002, 5003, -100500)


async def test_a_killed_worker_loses_nothing_and_repeats_at_most_what_was_in_flight(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker
) -> None:
    expected = {chat: [f"{chat}-{n}" for n in range(3)] for chat in CHATS}
    for chat, texts in expected.items():
        await queue_texts(db, chat, *texts)
    telegram.gate.clear()  # Telegram is slow: requests hang until the gate opens
    doomed = make_worker()
    task = asyncio.create_task(doomed.run())

    await telegram.wait_for(lambda: telegram.in_flight == len(CHATS))
    task.cancel()  # the process dies with one message per chat in flight
    async with asyncio.timeout(5):
        await asyncio.gather(task, return_exceptions=True)
    assert doomed.active_lanes == 0
    in_flight = len(telegram.calls)
    rows = await outbox(db)
    assert {row.state for row in rows.values()} == {"pending"}  # nothing marked without an answer

    telegram.gate.set()  # Telegram may still process what was in flight
    await telegram.wait_for(lambda: telegram.in_flight == 0)
    await make_worker().drain()

    for chat, texts in expected.items():
        delivered = telegram.texts(chat)
        assert sorted(set(delivered)) == texts  # every message arrived
        assert [text for text in dict.fromkeys(delivered)] == texts  # in order
    copies = Counter(call.text for call in telegram.accepted)
    assert sum(copies.values()) - len(copies) <= in_flight  # repeats only what was in flight
    rows = await outbox(db)
    assert {row.state for row in rows.values()} == {"sent"}


async def test_stop_lets_in_flight_sends_finish_and_records_them(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker
) -> None:
    await queue_texts(db, 5001, "one", "two")
    telegram.gate.clear()
    worker = make_worker()
    task = asyncio.create_task(worker.run())
    await telegram.wait_for(lambda: telegram.in_flight == 1)

    worker.stop()
    telegram.gate.set()
    async with asyncio.timeout(5):
        await task

    states = [row.state for row in (await outbox(db)).values()]
    assert states == ["sent", "pending"]  # the in-flight one is recorded; the next waits
    assert telegram.texts(5001) == ["one"]


async def test_stop_ends_lanes_waiting_for_their_slot_at_once(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker
) -> None:
    await queue_texts(db, 5001, "now", "in a minute")
    slow = RateLimiter(private_interval=60)  # the second message waits a minute for its slot
    worker = make_worker(limiter=slow, stop_grace=30)
    task = asyncio.create_task(worker.run())
    await telegram.wait_for(lambda: len(telegram.accepted) == 1)

    worker.stop()
    async with asyncio.timeout(5):  # neither the minute nor the grace for in-flight work
        await task

    states = [row.state for row in (await outbox(db)).values()]
    assert states == ["sent", "pending"]
    assert telegram.texts(5001) == ["now"]
