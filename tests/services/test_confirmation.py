from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.domain.errors import NotFound
from bot.domain.languages import Language
from bot.domain.orders import CancelReason, OrderStatus
from bot.services import confirmation, linking
from bot.services.confirmation import NotAwaitingConfirmation
from bot.services.customers import set_language
from bot.services.intake import intake_order
from bot.services.people import MessageRef
from bot.services.timers import run_due_timers
from bot.texts.errors import explain
from tests.factories import OLENA, STRANGER, new_order


async def outbox(db):
    async with db.uow() as uow:
        return list(await uow.outbox.pending(1000))


async def test_intake_of_unlinked_customer_queues_nothing_until_linking(db, ctx):
    result = await intake_order(db, ctx, new_order())
    assert result.created
    assert await outbox(db) == []

    linked = await linking.link_by_token(db, ctx, result.order.link_token, OLENA)
    assert linked.orders_waiting == 1
    rows = await outbox(db)
    assert [(r.method, r.chat_id, r.purpose) for r in rows] == [
        ("sendMessage", OLENA.id, None),  # the greeting goes first, then the card
        ("sendMessage", OLENA.id, "order_card"),
    ]
    assert "прив'язано" in rows[0].payload["text"]
    assert rows[0].payload["reply_markup"] == {"remove_keyboard": True}
    card = rows[1].payload
    assert "A-1001" in card["text"] and "900,00" in card["text"]
    buttons = [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["✅ Підтвердити", "✏️ Змінити", "❌ Скасувати"]


async def test_second_intake_is_idempotent(db, ctx):
    first = await intake_order(db, ctx, new_order(telegram_id=OLENA.id))
    again = await intake_order(db, ctx, new_order(telegram_id=OLENA.id))
    assert not again.created and again.order.id == first.order.id
    assert len(await outbox(db)) == 1


async def test_confirm_changes_status_edits_card_and_tells_shop(db, ctx):
    order = (await intake_order(db, ctx, new_order(telegram_id=OLENA.id))).order
    await confirmation.confirm(db, ctx, order.id, OLENA, MessageRef(OLENA.id, 77))
    rows = await outbox(db)
    edit = next(r for r in rows if r.method == "editMessageText")
    assert edit.payload["message_id"] == 77 and "reply_markup" not in edit.payload
    hook = next(r for r in rows if r.channel == "webhook")
    assert hook.payload["body"]["event"] == "order.confirmed"
    assert hook.payload["body"]["status"] == "confirmed"

    with pytest.raises(NotAwaitingConfirmation) as again:
        await confirmation.confirm(db, ctx, order.id, OLENA, MessageRef(OLENA.id, 77))
    assert len(await outbox(db)) == len(rows)
    # The error carries the status itself; the handler writes it in the person's language.
    assert again.value.params == {"status": OrderStatus.confirmed}
    assert explain(ctx.catalogs(Language.uk), again.value) == (
        "Це замовлення вже має статус «підтверджено»."
    )


async def test_someone_elses_order_is_not_found(db, ctx):
    order = (await intake_order(db, ctx, new_order(telegram_id=OLENA.id))).order
    with pytest.raises(NotFound):
        await confirmation.confirm(db, ctx, order.id, STRANGER, None)
    async with db.uow() as uow:
        assert (await uow.orders.get(order.id)).status == OrderStatus.new


async def test_cancel_with_reason(db, ctx):
    order = (await intake_order(db, ctx, new_order(telegram_id=OLENA.id))).order
    await confirmation.cancel(db, ctx, order.id, OLENA, CancelReason.other, "  too pricey ", None)
    async with db.uow() as uow:
        stored = await uow.orders.get(order.id)
        assert (stored.status, stored.cancel_reason, stored.cancel_comment) == (
            "cancelled",
            "other",
            "too pricey",
        )
    hook = next(r for r in await outbox(db) if r.channel == "webhook")
    assert hook.payload["body"]["reason"] == "other"


async def test_reminder_then_single_escalation(db, ctx, clock):
    order = (await intake_order(db, ctx, new_order(telegram_id=OLENA.id))).order
    clock.advance(timedelta(minutes=15))
    assert await run_due_timers(db, ctx) == 1
    clock.advance(timedelta(minutes=45))
    assert await run_due_timers(db, ctx) == 1
    assert await run_due_timers(db, ctx) == 0
    rows = await outbox(db)
    to_customer = [r for r in rows if r.chat_id == OLENA.id]
    to_managers = [r for r in rows if r.chat_id == ctx.manager_chat_id]
    assert len(to_customer) == 2 and "⏰" in to_customer[1].payload["text"]
    assert len(to_managers) == 1 and "+380501234567" in to_managers[0].payload["text"]
    async with db.uow() as uow:
        assert (await uow.orders.get(order.id)).escalated_at is not None


async def test_card_speaks_the_orders_language_until_the_customer_chooses(db, ctx):
    await intake_order(db, ctx, new_order("R-1", telegram_id=OLENA.id, language=Language.ru))
    await set_language(db, OLENA, Language.en)
    await intake_order(db, ctx, new_order("R-2", telegram_id=OLENA.id, language=Language.ru))
    first, second = await outbox(db)
    assert "Заказ R-1" in first.payload["text"] and "Подтвердить" in str(first.payload)
    assert "Order R-2" in second.payload["text"] and "Confirm" in str(second.payload)
    assert "UAH" in second.payload["text"] or "₴" in second.payload["text"]


async def test_many_orders_of_one_new_customer_at_once_all_stored(db, ctx):
    """Concurrent writers: no "database is locked", no lost order, one customer."""
    results = await asyncio.gather(
        *(intake_order(db, ctx, new_order(f"C-{n}", telegram_id=OLENA.id)) for n in range(25))
    )
    assert all(result.created for result in results)
    async with db.uow() as uow:
        [customer] = await uow.customers.by_telegram_id(OLENA.id)
        assert len(await uow.orders.of_customer(customer.id)) == 25
    cards = [row for row in await outbox(db) if row.purpose == "order_card"]
    assert sorted(row.order_id for row in cards) == sorted(result.order.id for result in results)


async def test_scheduling_again_moves_the_timers_there_and_adds_the_missing_ones(db, ctx, clock):
    order = (await intake_order(db, ctx, new_order())).order
    now = clock.now()
    async with db.uow() as uow:
        [reminder, escalation] = await uow.timers.of_order(order.id)
        await uow.timers.claim(reminder.id, now)  # the reminder ran
        await uow.session.delete(escalation)
        await uow.timers.schedule_all(
            order_id=order.id,
            due={
                "confirm_reminder": now + timedelta(hours=1),
                "confirm_escalation": now + timedelta(hours=2),
            },
            now=now,
        )
        await uow.commit()
    async with db.uow() as uow:
        timers = {timer.kind: timer for timer in await uow.timers.of_order(order.id)}
    assert set(timers) == {"confirm_reminder", "confirm_escalation"}
    assert timers["confirm_reminder"].id == reminder.id  # moved, and due again
    assert timers["confirm_reminder"].done_at is None
    assert timers["confirm_reminder"].due_at == now + timedelta(hours=1)
    assert timers["confirm_escalation"].due_at == now + timedelta(hours=2)
