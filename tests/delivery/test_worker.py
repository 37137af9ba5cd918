"""The outbox worker against a fake Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.delivery.telegram_call import NO_CARD_TO_EDIT
from bot.domain.message_purposes import MessagePurpose
from storage.uow import Database
from tests.delivery.conftest import MakeWorker, Unreachable, later
from tests.delivery.fakes import (
    BLOCKED,
    CHAT_NOT_FOUND,
    NOT_MODIFIED,
    SERVER_ERROR,
    FakeTelegram,
    error,
    retry_after,
)
from tests.delivery.helpers import add_order, order, outbox, queue, queue_texts

OLENA, PETRO, MANAGERS = 5001, 5002, -100500
SEC = timedelta(seconds=1)
ORDER_CARD, EDIT_ORDER_CARD = MessagePurpose.order_card, MessagePurpose.edit_order_card


async def test_messages_to_a_chat_go_in_order_and_chats_run_side_by_side(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker
) -> None:
    texts = {chat: [f"{chat}-{n}" for n in range(6)] for chat in (OLENA, PETRO, MANAGERS)}
    for chat in texts:
        await queue_texts(db, chat, *texts[chat][:3])
    for chat in texts:
        await queue_texts(db, chat, *texts[chat][3:])
    worker = make_worker(concurrency=3)

    await worker.drain()

    for chat, expected in texts.items():
        assert telegram.texts(chat) == expected
    rows = await outbox(db)
    assert {row.state for row in rows.values()} == {"sent"}
    assert all(row.attempts == 1 and row.sent_message_id for row in rows.values())
    assert worker.stats.sent == 18


async def test_an_edit_waits_for_its_card_and_edits_the_recorded_message(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker, clock: ManualClock
) -> None:
    order_id = await add_order(db, telegram_id=OLENA)
    card, edit = await queue(
        db,
        ("sendMessage", OLENA, {"chat_id": OLENA, "text": "Order A-1"}, ORDER_CARD, order_id),
        ("editMessageText", OLENA, {"text": "Order A-1: confirmed"}, EDIT_ORDER_CARD, order_id),
    )
    telegram.script(OLENA, SERVER_ERROR)
    worker = make_worker()

    await worker.drain()

    assert [call.method for call in telegram.calls] == ["sendMessage"]
    rows = await outbox(db)
    assert (rows[card].state, rows[card].attempts) == ("pending", 1)
    assert (rows[edit].state, rows[edit].attempts) == ("pending", 0)

    later(clock, 1)
    await worker.drain()

    assert [call.method for call in telegram.accepted] == ["sendMessage", "editMessageText"]
    rows = await outbox(db)
    placed = await order(db, order_id)
    assert (placed.card_chat_id, placed.card_message_id) == (OLENA, rows[card].sent_message_id)
    assert int(telegram.accepted[1].params["message_id"]) == placed.card_message_id
    assert telegram.messages[OLENA, placed.card_message_id] == "Order A-1: confirmed"
    assert rows[edit].state == "sent"
    assert rows[edit].sent_message_id == placed.card_message_id


async def test_an_edit_without_a_card_is_done_with_a_note(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker
) -> None:
    order_id = await add_order(db, telegram_id=OLENA)
    (edit,) = await queue(
        db, ("editMessageText", OLENA, {"text": "confirmed"}, EDIT_ORDER_CARD, order_id)
    )

    await make_worker().drain()

    assert telegram.calls == []
    row = (await outbox(db))[edit]
    assert (row.state, row.last_error) == ("sent", NO_CARD_TO_EDIT)


async def test_message_is_not_modified_counts_as_sent(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker
) -> None:
    order_id = await add_order(db, telegram_id=OLENA)
    _, edit = await queue(
        db,
        ("sendMessage", OLENA, {"chat_id": OLENA, "text": "Same"}, ORDER_CARD, order_id),
        ("editMessageText", OLENA, {"text": "Same"}, EDIT_ORDER_CARD, order_id),
    )

    await make_worker().drain()

    assert telegram.calls[-1].method == "editMessageText"
    row = (await outbox(db))[edit]
    assert row.state == "sent"
    assert row.sent_message_id == (await order(db, order_id)).card_message_id
    assert row.last_error == NOT_MODIFIED


async def test_a_429_storm_delivers_everything_exactly_once(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker
) -> None:
    chats = (OLENA, PETRO, MANAGERS)
    for chat in chats:
        await queue_texts(db, chat, f"{chat}-a", f"{chat}-b")
        telegram.script(chat, retry_after(1))
    worker = make_worker()
    loop = asyncio.get_running_loop()
    started = loop.time()

    await worker.drain()

    assert loop.time() - started >= 1.0  # retry_after was honoured, not skipped
    for chat in chats:
        assert telegram.texts(chat) == [f"{chat}-a", f"{chat}-b"]
    rows = await outbox(db)
    assert all(row.state == "sent" and row.attempts == 1 for row in rows.values())
    assert worker.stats.rate_limited == 3
    assert sum(worker.stats.retried.values()) == 0
    assert worker.limiter.per_second < worker.limiter.max_per_second  # the pace was slowed


@pytest.mark.parametrize("refusal", [BLOCKED, CHAT_NOT_FOUND], ids=["blocked", "never-started"])
async def test_an_unreachable_chat_fails_its_rows_and_is_reported_once(
    db: Database,
    telegram: FakeTelegram,
    make_worker: MakeWorker,
    unreachable: Unreachable,
    refusal: tuple[int, dict],
) -> None:
    olena_rows = await queue_texts(db, OLENA, "one", "two", "three")
    await queue_texts(db, PETRO, "hello")
    telegram.script(OLENA, refusal)
    worker = make_worker()

    await worker.drain()

    assert unreachable.chats == [OLENA]
    assert len(telegram.calls_to(OLENA)) == 1
    assert telegram.texts(PETRO) == ["hello"]
    rows = await outbox(db)
    description = refusal[1]["description"]
    assert all(rows[i].state == "failed" and rows[i].last_error == description for i in olena_rows)
    assert worker.stats.failed["unreachable"] == 3
    assert worker.stats.unreachable_chats == 1


async def test_server_errors_are_retried_with_growing_delays(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker, clock: ManualClock
) -> None:
    first, second = await queue_texts(db, OLENA, "first", "second")
    (other,) = await queue_texts(db, PETRO, "other chat")
    telegram.script(OLENA, SERVER_ERROR, error(502, "Bad Gateway"))
    worker = make_worker()

    await worker.drain()
    row = (await outbox(db))[first]
    assert (row.state, row.attempts, row.next_attempt_at) == ("pending", 1, clock.now() + 1 * SEC)
    assert (await outbox(db))[other].state == "sent"  # a waiting chat holds up only itself

    later(clock, 1)
    await worker.drain()
    row = (await outbox(db))[first]
    assert (row.state, row.attempts, row.next_attempt_at) == ("pending", 2, clock.now() + 2 * SEC)

    later(clock, 2)
    await worker.drain()
    rows = await outbox(db)
    assert (rows[first].state, rows[first].attempts) == ("sent", 3)
    assert (rows[second].state, rows[second].attempts) == ("sent", 1)
    assert telegram.texts(OLENA) == ["first", "second"]
    assert worker.stats.retried == {"server_error": 2}


async def test_other_bad_requests_fail_only_that_row(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker, unreachable: Unreachable
) -> None:
    broken, fine = await queue_texts(db, OLENA, "<b>broken", "fine")
    description = (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag b"
    )
    telegram.script(OLENA, error(400, description))
    worker = make_worker()

    await worker.drain()

    rows = await outbox(db)
    assert (rows[broken].state, rows[broken].last_error) == ("failed", description)
    assert rows[fine].state == "sent"
    assert unreachable.chats == []
    assert worker.stats.failed["bad_request"] == 1


async def test_rows_that_cannot_become_a_call_fail_without_a_request(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker
) -> None:
    bad_method, no_text = await queue(
        db,
        ("sendNuke", OLENA, {"chat_id": OLENA}, None, None),
        ("sendMessage", OLENA, {"chat_id": OLENA}, None, None),
    )

    await make_worker().drain()

    rows = await outbox(db)
    assert rows[bad_method].state == rows[no_text].state == "failed"
    assert telegram.calls == []


async def test_run_wakes_on_commit_and_stops_cleanly(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker
) -> None:
    worker = make_worker(poll_interval=60)  # only a wake can make it look in time
    task = asyncio.create_task(worker.run())
    await asyncio.sleep(0)

    await queue_texts(db, OLENA, "woken")
    await telegram.wait_for(lambda: len(telegram.accepted) == 1)
    await queue_texts(db, PETRO, "again")
    await telegram.wait_for(lambda: len(telegram.accepted) == 2)

    worker.stop()
    async with asyncio.timeout(5):
        await task
    assert worker.active_lanes == 0
    rows = await outbox(db)
    assert {row.state for row in rows.values()} == {"sent"}
