"""Housekeeping: finished messages and timers go after DELIVERY_HISTORY_KEEP, nothing else does."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.clock import ManualClock
from bot.delivery.cleanup import Housekeeping
from bot.services.housekeeping import Pruned, prune
from storage.models import Timer
from storage.uow import Database
from tests.delivery.helpers import add_order, outbox, queue_texts, queue_webhooks

KEEP = timedelta(days=30)
CHAT = 5001


async def timers(db: Database) -> dict[str, Timer]:
    async with db.read() as uow:
        rows = (await uow.session.scalars(select(Timer).order_by(Timer.id))).all()
    return {row.kind: row for row in rows}


async def sent(db: Database, *ids: int) -> None:
    async with db.uow() as uow:
        for row_id in ids:
            await uow.outbox.mark_sent(row_id, now=uow.clock.now(), sent_message_id=row_id)
        await uow.commit()


async def failed(db: Database, row_id: int) -> None:
    async with db.uow() as uow:
        await uow.outbox.mark_failed(row_id, error="Forbidden: bot was blocked by the user")
        await uow.commit()


async def timer(db: Database, order_id: int, kind: str, *, ran: bool, due_in: timedelta) -> None:
    async with db.uow() as uow:
        now = uow.clock.now()
        await uow.timers.schedule(kind=kind, order_id=order_id, due_at=now + due_in, now=now)
        await uow.commit()
    if ran:
        (row,) = [row for row in (await timers(db)).values() if row.kind == kind]
        async with db.uow() as uow:
            assert await uow.timers.claim(row.id, uow.clock.now())
            await uow.commit()


async def test_only_finished_rows_older_than_the_keep_go(db: Database, clock: ManualClock) -> None:
    order_id = await add_order(db, telegram_id=CHAT)
    delivered, blocked, waiting = await queue_texts(db, CHAT, "shipped", "arrived", "reminder")
    (unanswered,) = await queue_webhooks(db, "http://127.0.0.1:9/hook", order_id, {"e": "x"})
    await sent(db, delivered)
    await failed(db, blocked)
    await timer(db, order_id, "confirm_reminder", ran=True, due_in=timedelta(0))
    await timer(db, order_id, "rescheduled", ran=True, due_in=timedelta(0))
    await timer(db, order_id, "far_ahead", ran=False, due_in=timedelta(days=60))
    clock.advance(KEEP + timedelta(days=1))
    (fresh,) = await queue_texts(db, CHAT, "received")
    await sent(db, fresh)
    await timer(db, order_id, "pickup_reminder", ran=True, due_in=timedelta(0))
    await timer(db, order_id, "rescheduled", ran=False, due_in=timedelta(hours=1))

    pruned = await prune(db, keep=KEEP, now=clock.now(), batch=2)

    assert pruned == Pruned(messages=2, timers=1)
    rows = await outbox(db)
    assert sorted(rows) == [waiting, unanswered, fresh]
    assert [rows[i].state for i in (waiting, unanswered, fresh)] == ["pending", "pending", "sent"]
    assert sorted(await timers(db)) == ["far_ahead", "pickup_reminder", "rescheduled"]
    assert await prune(db, keep=KEEP, now=clock.now(), batch=2) == Pruned()


async def test_a_long_history_goes_in_batches(db: Database, clock: ManualClock) -> None:
    order_id = await add_order(db, telegram_id=CHAT)
    old = await queue_texts(db, CHAT, *[f"notice {n}" for n in range(7)])
    await sent(db, *old)
    clock.advance(KEEP)
    kept = await queue_texts(db, CHAT, "today")
    await sent(db, *kept)
    clock.advance(timedelta(seconds=1))

    assert await prune(db, keep=KEEP, now=clock.now(), batch=3) == Pruned(messages=7)
    assert sorted(await outbox(db)) == kept
    async with db.read() as uow:  # the order the messages were about stays
        assert await uow.orders.get(order_id) is not None


async def test_a_timer_rescheduled_after_it_was_read_is_not_deleted(
    db: Database, clock: ManualClock
) -> None:
    order_id = await add_order(db, telegram_id=CHAT)
    await timer(db, order_id, "pickup_reminder", ran=True, due_in=timedelta(0))
    clock.advance(KEEP * 2)
    async with db.read() as uow:
        (row,) = await uow.timers.oldest_after(0, 10)
    await timer(db, order_id, "pickup_reminder", ran=False, due_in=timedelta(hours=2))

    async with db.uow() as uow:
        assert await uow.timers.delete_done([row.id], before=clock.now() - KEEP) == 0
        await uow.commit()
    assert (await timers(db))["pickup_reminder"].done_at is None


async def test_the_loop_prunes_at_start_and_again_every_six_hours(
    db: Database, clock: ManualClock
) -> None:
    await add_order(db, telegram_id=CHAT)
    old = await queue_texts(db, CHAT, "old")
    await sent(db, *old)
    clock.advance(KEEP + timedelta(hours=1))
    rounds: asyncio.Queue[Pruned] = asyncio.Queue()
    loop = Housekeeping(db, clock, KEEP, on_pruned=rounds.put_nowait)
    task = asyncio.create_task(loop.run())
    try:
        assert await asyncio.wait_for(rounds.get(), 10) == Pruned(messages=1)
        later = await queue_texts(db, CHAT, "later")
        await sent(db, *later)
        clock.advance(KEEP + timedelta(minutes=1))  # the clock moved: it wakes, a round is due
        assert await asyncio.wait_for(rounds.get(), 10) == Pruned(messages=1)
        assert await outbox(db) == {}
        assert await loop.run_once() is None  # the next round is six hours away
        clock.advance(timedelta(hours=6))
        assert await asyncio.wait_for(rounds.get(), 10) == Pruned()
    finally:
        loop.stop()
        await asyncio.wait_for(task, 10)


async def test_a_timer_being_rescheduled_is_not_deleted_under_it(
    db: Database, clock: ManualClock
) -> None:
    order_id = await add_order(db, telegram_id=CHAT)
    await timer(db, order_id, "pickup_reminder", ran=True, due_in=timedelta(0))
    clock.advance(KEEP * 2)
    (row,) = (await timers(db)).values()

    async def housekeeping() -> int:
        async with db.uow() as uow:
            deleted = await uow.timers.delete_done([row.id], before=clock.now() - KEEP)
            await uow.commit()
        return deleted

    async with db.uow() as uow:  # a new arrival moves the old reminder (found, not yet written)
        now = uow.clock.now()
        await uow.timers.schedule(
            kind="pickup_reminder", order_id=order_id, due_at=now + timedelta(days=1), now=now
        )
        deleting = asyncio.create_task(housekeeping())
        # It must wait for this transaction, not delete the row now (a bounded look, not a sleep).
        finished, _ = await asyncio.wait({deleting}, timeout=0.5)
        assert not finished
        await uow.commit()

    assert await asyncio.wait_for(deleting, 10) == 0
    moved = (await timers(db))["pickup_reminder"]
    assert (moved.id, moved.done_at) == (row.id, None)
