"""Risky customers through the real bot: the policies, the managers' alert and its buttons."""

from __future__ import annotations

import pytest

from bot.domain.orders import OrderStatus
from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.services.risk_history import past_order


async def refusals(world: World, count: int) -> None:
    for index in range(count):
        await past_order(world.db, world.app.ctx, f"OLD-{index}", OrderStatus.refused)


def labels(markup: dict | None) -> list[str]:
    return [button["text"] for row in (markup or {}).get("inline_keyboard", []) for button in row]


async def order_from_linked_olena(world: World, external_id: str = "N-1") -> dict:
    """Olena has opened the bot before; the shop knows her Telegram id."""
    world.olena.send_command("/start")
    await world.telegram.wait_for_message(world.olena.id)
    return await world.shop.create_order(external_id=external_id, customer={"telegram_id": 5001})


async def test_blacklisted_customer_waits_for_a_manager_who_approves(world: World):
    await refusals(world, 3)
    order = await order_from_linked_olena(world)
    assert order["status"] == "on_hold"
    risk = order["risk"]
    assert (risk["level"], risk["score"]) == ("blacklisted", 70)
    assert [reason["code"] for reason in risk["reasons"]][:2] == [
        "blacklisted_automatically",
        "refused",
    ]
    assert "відмовився від 3 з 3 посилок" in risk["reasons"][1]["text"]
    assert (await world.hooks.wait_for("order.on_hold"))["reason"] == "risk"

    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Чорний список")
    assert "N-1" in alert.visible and "ризик 70 зі 100" in alert.visible
    assert "чекає на ваше рішення" in alert.visible
    assert len(world.telegram.bot_messages(world.olena.id)) == 1  # the greeting: no card yet

    refused = await world.intern.press(alert, "✅ Схвалити").answer()
    assert refused.show_alert and "немає прав" in refused.text
    answer = await world.manager.press(alert, "✅ Схвалити").answer()
    assert answer.text == "Схвалено."
    edit = await world.telegram.wait_for_edit(MANAGERS_CHAT, alert.message_id)
    assert "Схвалив(ла) Марія" in edit.after.text
    assert "✅ Схвалити" not in labels(edit.after.reply_markup)

    card = await world.telegram.wait_for_message(world.olena.id, "N-1")
    assert card.inline_buttons[0]["text"] == "✅ Підтвердити"
    await world.hooks.wait_for("order.approved")
    stale = await world.manager.press_forged(
        alert.message_id, f"rk:x:{card_order_id(card)}", chat_id=MANAGERS_CHAT
    ).answer()
    assert stale.show_alert and "вже ухвалили рішення" in stale.text
    assert (await world.shop.get_order("N-1"))["status"] == "new"


def card_order_id(card) -> int:
    return int(card.inline_buttons[0]["callback_data"].split(":")[-1])


async def test_risky_order_alert_and_blacklist_with_confirmation(world: World):
    await refusals(world, 2)
    order = await order_from_linked_olena(world)
    assert (order["status"], order["risk"]["level"]) == ("new", "risky")
    card = await world.telegram.wait_for_message(world.olena.id, "N-1")
    assert len(card.inline_buttons) == 3  # the customer confirms as usual

    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Ризикове замовлення")
    await world.manager.press(alert, "⛔ У чорний список").answer()
    asking = await world.telegram.wait_for_edit(MANAGERS_CHAT, alert.message_id)
    assert labels(asking.after.reply_markup) == [
        "⛔ Так, у чорний список",
        "↩️ Ні, назад",
    ]
    await world.manager.press(alert, "⛔ Так, у чорний список").answer()
    done = await world.telegram.wait_for_edit(MANAGERS_CHAT, alert.message_id, "Марія")
    assert "Клієнта додав(ла) до чорного списку Марія" in done.after.text
    assert "⛔ У чорний список" not in labels(done.after.reply_markup)
    assert (await world.hooks.wait_for("customer.blacklisted"))["external_id"] == "N-1"

    forged = await world.manager.press_forged(
        alert.message_id, "rk:a:999999", chat_id=MANAGERS_CHAT
    ).answer()
    assert forged.show_alert and "не знайдено" in forged.text.lower()


@pytest.mark.parametrize("extra_settings", [{"risk_policy_blacklisted": "prepay"}])
async def test_prepay_policy_asks_politely_and_approval_sends_the_card(world: World):
    await refusals(world, 3)
    order = await order_from_linked_olena(world)
    assert order["status"] == "on_hold"
    notice = await world.telegram.wait_for_message(world.olena.id, "N-1")
    assert "потрібна передоплата 900,00" in notice.visible and not notice.inline_buttons
    await world.hooks.wait_for("order.prepayment_required")

    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Чорний список")
    assert "попросили внести передоплату" in alert.visible
    await world.manager.press(alert, "✅ Схвалити").answer()
    card = await world.telegram.wait_for_message(world.olena.id, "N-1")
    assert card.inline_buttons[0]["text"] == "✅ Підтвердити"


@pytest.mark.parametrize("extra_settings", [{"risk_policy_blacklisted": "cancel"}])
async def test_cancel_policy_cancels_and_tells_everyone(world: World):
    await refusals(world, 3)
    order = await order_from_linked_olena(world)
    assert order["status"] == "cancelled"
    notice = await world.telegram.wait_for_message(world.olena.id, "N-1")
    assert "Скасовано магазином" in notice.visible and not notice.inline_buttons
    assert (await world.hooks.wait_for("order.cancelled"))["reason"] == "risk"
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Чорний список")
    assert "скасовано автоматично" in alert.visible
    assert [b["text"] for b in alert.inline_buttons] == ["⛔ У чорний список"]
