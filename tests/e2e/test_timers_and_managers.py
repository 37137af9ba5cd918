"""Reminders, escalations, unreachable customers and the managers' chat."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.e2e.test_confirmation import open_deep_link


async def test_reminder_then_escalation_then_a_manager_takes_the_call(world: World):
    _, card = await open_deep_link(world)
    world.clock.advance(timedelta(minutes=14))
    world.clock.advance(timedelta(minutes=1))
    reminder = await world.telegram.wait_for_message(world.olena.id, "⏰")
    assert "A-1001" in reminder.visible and len(reminder.inline_buttons) == 3

    world.clock.advance(timedelta(minutes=45))
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Зателефонуйте клієнту")
    assert "не підтверджене" in alert.visible
    assert (
        "Олена Коваль" in alert.visible
        and "+380501234567" in alert.visible
        and "A-1001" in alert.visible
    )
    event = await world.hooks.wait_for("order.customer_unreachable")
    assert event["reason"] == "no_answer"

    # Nobody is reminded or alerted twice, whatever the clock does next.
    world.clock.advance(timedelta(days=1))
    refused = await world.intern.press(alert, "📞 Я зателефоную").answer()
    assert refused.show_alert and "немає прав" in refused.text
    taken = await world.manager.press(alert, "📞 Я зателефоную").answer()
    assert "Клієнт ваш" in taken.text
    edited = await world.telegram.wait_for_edit(MANAGERS_CHAT, alert.message_id)
    assert "Марія телефонує" in edited.after.text and not edited.after.reply_markup
    assert sum("⏰" in m.visible for m in world.telegram.bot_messages(world.olena.id)) == 1
    assert (
        sum("Зателефонуйте" in m.visible for m in world.telegram.bot_messages(MANAGERS_CHAT)) == 1
    )

    # Confirming after the escalation still works and is reported.
    await world.olena.press(card, "✅ Підтвердити").answer()
    await world.hooks.wait_for("order.confirmed")


async def test_customer_who_never_opens_the_bot_is_escalated_at_reminder_time(world: World):
    await world.shop.create_order(
        external_id="B-1", customer={"phone": "0671234567", "name": "Іван"}
    )
    world.clock.advance(timedelta(minutes=15))
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "бота ще не відкрили")
    assert "+380671234567" in alert.visible and "B-1" in alert.visible
    event = await world.hooks.wait_for("order.customer_unreachable")
    assert (event["external_id"], event["reason"]) == ("B-1", "not_linked")


async def test_blocked_customer_is_marked_unreachable_and_managers_alerted(world: World):
    await open_deep_link(world)
    world.olena.block_bot()
    await world.shop.create_order(external_id="A-1002")
    # Both open orders (A-1001 was never confirmed either) go to the managers, once each.
    alerts = [
        await world.telegram.wait_for_message(MANAGERS_CHAT, "бота заблоковано") for _ in range(2)
    ]
    assert sorted("A-1002" in alert.visible for alert in alerts) == [False, True]
    await world.hooks.wait_for_count("order.customer_unreachable", 2)  # one per order
    unreachable = [e for e in world.hooks.events if e["event"] == "order.customer_unreachable"]
    assert {(e["external_id"], e["reason"]) for e in unreachable} == {
        ("A-1001", "blocked"),
        ("A-1002", "blocked"),
    }
    async with world.db.uow() as uow:
        [customer] = await uow.customers.by_telegram_id(world.olena.id)
        assert customer.unreachable_at is not None

    # Back in the chat, the card that never arrived is delivered.
    world.olena.send_command("/start")
    card = await world.telegram.wait_for_message(world.olena.id, "A-1002")
    assert len(card.inline_buttons) == 3


async def test_429_storm_everything_delivered_once(world: World):
    people = [
        world.telegram.add_user(6000 + n, f"Покупець {n}", phone=f"+38050555000{n}")
        for n in range(4)
    ]
    for person in people:
        person.send_command("/start")
        await world.telegram.wait_for_message(person.id)
        person.share_contact()
        await world.telegram.wait_for_message(person.id, "прив'язано")
    world.force_storm(6, retry_after=1)
    for n, person in enumerate(people):
        await world.shop.create_order(
            external_id=f"S-{n}", customer={"phone": person.record.phone, "name": "Покупець"}
        )
    for n, person in enumerate(people):
        await world.telegram.wait_for_message(person.id, f"S-{n}", timeout=15)
    assert world.telegram.count_429 >= 6
    for n, person in enumerate(people):
        cards = [m for m in world.telegram.bot_messages(person.id) if f"S-{n}" in m.visible]
        assert len(cards) == 1


async def test_managers_order_lookup_is_for_admins_only(world: World):
    _, card = await open_deep_link(world)
    await world.olena.press(card, "✅ Підтвердити").answer()
    await world.hooks.wait_for("order.confirmed")
    world.manager.send_command("/order", "A-1001", chat_id=MANAGERS_CHAT)
    report = await world.telegram.wait_for_message(MANAGERS_CHAT, "Історія")
    assert "A-1001" in report.visible and "підтверджено" in report.visible
    assert "клієнт відкрив бота" in report.visible
    world.intern.send_command("/order", "A-1001", chat_id=MANAGERS_CHAT)
    refused = await world.telegram.wait_for_message(MANAGERS_CHAT, "немає прав")
    assert "Історія" not in refused.visible
    world.manager.send_command("/order", chat_id=MANAGERS_CHAT)
    await world.telegram.wait_for_message(MANAGERS_CHAT, "/order [номер замовлення]")
    world.manager.send_command("/order", "NOPE-1", chat_id=MANAGERS_CHAT)
    await world.telegram.wait_for_message(MANAGERS_CHAT, "не знайдено")


async def test_orders_language_and_help(world: World):
    await open_deep_link(world)
    world.olena.send_command("/orders")
    listing = await world.telegram.wait_for_message(world.olena.id, "Ваші останні замовлення")
    assert "A-1001" in listing.visible and "очікує підтвердження" in listing.visible
    world.olena.send_command("/language")
    menu = await world.telegram.wait_for_message(world.olena.id, "Оберіть мову")
    await world.olena.press(menu, "🇬🇧 English").answer()
    await world.telegram.wait_for_edit(world.olena.id, menu.message_id, "English")
    world.olena.send_command("/help")
    await world.telegram.wait_for_message(world.olena.id, "/orders — your recent orders")
    await world.shop.create_order(external_id="A-1003")
    card = await world.telegram.wait_for_message(world.olena.id, "A-1003")
    assert [b["text"] for b in card.inline_buttons] == ["✅ Confirm", "✏️ Change", "❌ Cancel"]
    world.olena.send_text("привіт")
    await world.telegram.wait_for_message(world.olena.id, "/help")
