"""A customer confirms, cancels or asks to change an order in Telegram; the shop hears about it."""

from __future__ import annotations

from tests.e2e.conftest import MANAGERS_CHAT, World


def start_token(link: str) -> str:
    prefix = "https://t.me/vykup_test_bot?start="
    assert link.startswith(prefix)
    return link.removeprefix(prefix)


async def open_deep_link(world: World, external_id: str = "A-1001"):
    order = await world.shop.create_order(external_id=external_id)
    world.olena.send_command("/start", start_token(order["telegram_link"]))
    greeting = await world.telegram.wait_for_message(world.olena.id, "прив'язано")
    card = await world.telegram.wait_for_message(world.olena.id, external_id)
    return greeting, card


async def test_deep_link_card_confirm_and_signed_webhook(world: World):
    greeting, card = await open_deep_link(world)
    assert "Олена Коваль" in greeting.visible
    assert "Футболка M × 2" in card.visible
    assert "900,00" in card.visible and "Нова пошта" in card.visible
    assert [b["text"] for b in card.inline_buttons] == [
        "✅ Підтвердити",
        "✏️ Змінити",
        "❌ Скасувати",
    ]

    answer = await world.olena.press(card, "✅ Підтвердити").answer()
    assert "A-1001" in (answer.text or "")

    edit = await world.telegram.wait_for_edit(world.olena.id, card.message_id)
    assert (
        "підтверджено" in edit.after.text
        and not world.telegram.chat(world.olena.id).find(card.message_id).inline_buttons
    )
    event = await world.hooks.wait_for("order.confirmed")
    assert event["external_id"] == "A-1001" and event["status"] == "confirmed"
    assert world.hooks.bad_signatures == 0

    order = await world.shop.get_order("A-1001")
    assert order["status"] == "confirmed"
    assert [h["to_status"] for h in order["history"] if h["kind"] == "status"] == ["confirmed"]


async def test_second_press_and_forged_buttons_change_nothing(world: World):
    _, card = await open_deep_link(world)
    first = await world.olena.press(card, "✅ Підтвердити").answer()
    assert first.text
    await world.hooks.wait_for("order.confirmed")

    # An old copy of the card still shows the button in the client until the edit lands.
    again = await world.olena.press_forged(card.message_id, "o:c:1").answer()
    assert again.show_alert and "підтверджено" in again.text.lower()
    forged = await world.olena.press_forged(card.message_id, "o:c:999999").answer()
    assert forged.show_alert and "не знайдено" in forged.text.lower()
    garbage = await world.olena.press_forged(card.message_id, "x:whatever").answer()
    assert garbage.show_alert

    stranger = world.telegram.add_user(7777, "Чужий", language_code="uk")
    stranger.send_command("/start")
    await world.telegram.wait_for_message(stranger.id)
    stolen = await stranger.press_forged(card.message_id, "o:x:1", chat_id=world.olena.id).answer()
    assert stolen.show_alert
    assert world.hooks.names() == ["order.confirmed"]


async def test_contact_linking_and_someone_elses_contact(world: World):
    await world.shop.create_order(external_id="A-2001")
    stranger = world.telegram.add_user(7777, "Петро", language_code="uk", phone="+380671112233")
    stranger.send_command("/start")
    prompt = await world.telegram.wait_for_message(stranger.id, "номер")
    assert prompt.keyboard_buttons[0].get("request_contact") is True

    stranger.share_contact(
        phone="+380501234567", user_id=world.olena.id
    )  # Olena's card, not his own
    refused = await world.telegram.wait_for_message(stranger.id)
    assert "своїм контактом" in refused.visible
    assert all("A-2001" not in m.visible for m in world.telegram.bot_messages(stranger.id))

    world.olena.send_command("/start")
    await world.telegram.wait_for_message(world.olena.id)
    world.olena.tap_keyboard("📱 Поділитися номером телефону")
    await world.telegram.wait_for_message(world.olena.id, "прив'язано")
    card = await world.telegram.wait_for_message(world.olena.id, "A-2001")
    assert len(card.inline_buttons) == 3


async def test_cancel_with_reason_and_with_own_words(world: World):
    _, card = await open_deep_link(world)
    await world.olena.press(card, "❌ Скасувати").answer()
    reasons = await world.telegram.wait_for_edit(world.olena.id, card.message_id)
    labels = [b["text"] for row in reasons.after.reply_markup["inline_keyboard"] for b in row]
    assert labels[0] == "Передумав(-ла)" and len(labels) == 6

    await world.olena.press(card, labels[0]).answer()
    cancelled = await world.telegram.wait_for_edit(world.olena.id, card.message_id, "скасовано")
    assert not cancelled.after.reply_markup
    event = await world.hooks.wait_for("order.cancelled")
    assert (event["status"], event["reason"]) == ("cancelled", "mind")

    _, second = await open_deep_link(world, "A-1002")
    await world.olena.press(second, "❌ Скасувати").answer()
    await world.telegram.wait_for_edit(world.olena.id, second.message_id)
    other = [
        b["text"]
        for b in world.telegram.chat(world.olena.id).find(second.message_id).inline_buttons
    ][4]
    await world.olena.press(second, other).answer()
    await world.telegram.wait_for_message(world.olena.id, "одним повідомленням")
    world.olena.send_sticker()
    await world.telegram.wait_for_message(world.olena.id, "текстовим")
    world.olena.send_text("Знайшла в іншому магазині")
    await world.telegram.wait_for_message(world.olena.id, "A-1002")
    await world.telegram.wait_for_edit(
        world.olena.id, second.message_id, "Знайшла в іншому магазині"
    )
    events = [e for e in world.hooks.events if e["external_id"] == "A-1002"]
    assert events == [] or events[0]["comment"] == "Знайшла в іншому магазині"
    hook = await world.hooks.wait_for("order.cancelled")
    assert hook["external_id"] == "A-1001"


async def test_change_request_reaches_managers(world: World):
    _, card = await open_deep_link(world)
    await world.olena.press(card, "✏️ Змінити").answer()
    await world.telegram.wait_for_message(world.olena.id, "змінити")
    world.olena.send_text("Розмір L замість M, будь ласка")
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Розмір L замість M")
    assert "A-1001" in alert.visible and "+380501234567" in alert.visible
    await world.telegram.wait_for_message(world.olena.id, "менеджер")
    event = await world.hooks.wait_for("order.change_requested")
    assert event["comment"] == "Розмір L замість M, будь ласка" and event["status"] == "new"
    assert len(world.telegram.chat(world.olena.id).find(card.message_id).inline_buttons) == 3
