"""A commit wakes the loops whose work it queued (outbox messages, timers), and only those."""

from __future__ import annotations

from datetime import timedelta

from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from storage.signals import OUTBOX_WORK, TIMER_WORK
from storage.uow import Database
from tests.factories import new_order


class Woken:
    def __init__(self, db: Database) -> None:
        self.outbox = 0
        self.timers = 0
        self.any = 0
        db.on_commit(self._outbox, work={OUTBOX_WORK})
        db.on_commit(self._timers, work={TIMER_WORK})
        db.on_commit(self._any)  # every kind of work, as before kinds existed

    def _outbox(self) -> None:
        self.outbox += 1

    def _timers(self) -> None:
        self.timers += 1

    def _any(self) -> None:
        self.any += 1

    @property
    def counts(self) -> tuple[int, int, int]:
        return self.outbox, self.timers, self.any


async def queue_text(db: Database, chat_id: int = 5001) -> None:
    async with db.uow() as uow:
        uow.outbox.add(
            channel="telegram",
            method="sendMessage",
            payload={"chat_id": chat_id, "text": "hello"},
            now=uow.clock.now(),
            chat_id=chat_id,
        )
        await uow.commit()


async def test_a_queued_message_wakes_the_outbox_listeners_only(db: Database) -> None:
    woken = Woken(db)
    await queue_text(db)
    assert woken.counts == (1, 0, 1)


async def test_a_scheduled_timer_wakes_the_timer_listeners_only(
    db: Database, ctx: ServiceContext
) -> None:
    order = (await intake_order(db, ctx, new_order())).order  # a card to send, two timers
    woken = Woken(db)
    async with db.uow() as uow:
        await uow.timers.schedule(
            kind="test",
            order_id=order.id,
            due_at=uow.clock.now() + timedelta(hours=1),
            now=uow.clock.now(),
        )
        await uow.commit()
    assert woken.counts == (0, 1, 1)


async def test_a_commit_that_queued_both_wakes_each_listener_once(
    db: Database, ctx: ServiceContext
) -> None:
    woken = Woken(db)
    await intake_order(db, ctx, new_order(telegram_id=5001))  # the card and its timers
    assert woken.counts == (1, 1, 1)


async def test_a_commit_that_queued_nothing_wakes_nobody(db: Database) -> None:
    await queue_text(db)
    woken = Woken(db)
    async with db.uow() as uow:
        [row] = await uow.outbox.pending(limit=10)
        await uow.outbox.mark_sent(row.id, now=uow.clock.now(), sent_message_id=1)
        await uow.preferences.set_language(5001, "en", uow.clock.now())
        await uow.commit()
    assert woken.counts == (0, 0, 0)


async def test_work_rolled_back_wakes_nobody(db: Database) -> None:
    woken = Woken(db)
    async with db.uow() as uow:
        uow.outbox.add(
            channel="telegram",
            method="sendMessage",
            payload={"chat_id": 5001, "text": "never"},
            now=uow.clock.now(),
            chat_id=5001,
        )
        await uow.rollback()
        await uow.preferences.set_language(5001, "en", uow.clock.now())
        await uow.commit()
    assert woken.counts == (0, 0, 0)
    async with db.uow() as uow:
        assert await uow.outbox.pending(limit=10) == []
