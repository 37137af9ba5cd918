"""A parcel's journey as the customer, the managers and the shop see it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiohttp

from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.e2e.shop import SHOP_TOKEN
from tests.e2e.test_confirmation import open_deep_link

WAYBILL = "20450000000000"


async def shop_post(world: World, path: str, body: dict[str, Any]) -> dict[str, Any]:
    url = f"http://127.0.0.1:{world.app.api_port}{path}"
    headers = {"Authorization": f"Bearer {SHOP_TOKEN}"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, json=body, headers=headers) as response,
    ):
        answer = await response.json()
        assert response.status in (200, 201), answer
        return answer


async def confirmed_and_shipped(world: World) -> None:
    _, card = await open_deep_link(world)
    await world.olena.press(card, "✅ Підтвердити").answer()
    await world.hooks.wait_for("order.confirmed")
    await shop_post(
        world,
        "/api/v1/orders/A-1001/shipment",
        {"carrier": "nova_poshta", "tracking_number": WAYBILL},
    )


async def arrive(world: World) -> None:
    event = {
        "status": "arrived",
        "storage_until": "2026-11-26",
        "point": "Відділення №12, вул. Хрещатик, 1",
    }
    answer = await shop_post(world, f"/api/v1/shipments/{WAYBILL}/events", event)
    assert answer["applied"] is True


async def test_shipped_arrived_reminded_received_and_rated(world: World):
    await confirmed_and_shipped(world)
    shipped = await world.telegram.wait_for_message(world.olena.id, "🚚")
    assert WAYBILL in shipped.visible and "Нова пошта" in shipped.visible

    await arrive(world)
    arrived = await world.telegram.wait_for_message(world.olena.id, "📦")
    text = arrived.visible
    assert "Відділення №12, вул. Хрещатик, 1" in text and "900,00" in text
    assert "26 листопада" in text and WAYBILL in text
    assert [b["text"] for b in arrived.inline_buttons] == [
        "👍 Заберу сьогодні",
        "🙁 Не можу забрати",
    ]

    world.clock.advance(
        datetime(2026, 11, 21, 9, 0, tzinfo=UTC) - world.clock.now()
    )  # 11:00 in Kyiv
    reminder = await world.telegram.wait_for_message(world.olena.id, "⏰")
    promise = await world.olena.press(reminder, "👍 Заберу сьогодні").answer()
    assert promise.show_alert and "накладної" in promise.text

    answer = await shop_post(world, f"/api/v1/shipments/{WAYBILL}/events", {"status": "received"})
    assert answer["applied"] is True
    thanks = await world.telegram.wait_for_message(world.olena.id, "🎉")
    await world.olena.press(thanks, "5⭐").answer()
    await world.telegram.wait_for_edit(world.olena.id, thanks.message_id)

    world.clock.advance(datetime(2026, 11, 25, 9, 0, tzinfo=UTC) - world.clock.now())
    order = await world.shop.get_order("A-1001")
    assert order["status"] == "received"
    assert sum("⏰" in m.visible for m in world.telegram.bot_messages(world.olena.id)) == 1
    assert not [m for m in world.telegram.bot_messages(MANAGERS_CHAT) if "⭐" in m.visible]


async def test_a_refusal_is_explained_and_managers_hear_why(world: World):
    await confirmed_and_shipped(world)
    await arrive(world)
    await world.telegram.wait_for_message(world.olena.id, "📦")
    await shop_post(world, f"/api/v1/shipments/{WAYBILL}/events", {"status": "refused"})
    ask = await world.telegram.wait_for_message(world.olena.id, "чому")
    [price] = [b["callback_data"] for b in ask.inline_buttons if b["text"] == "Занадто дорого"]
    await world.olena.press(ask, "Занадто дорого").answer()
    report = await world.telegram.wait_for_message(MANAGERS_CHAT, "↩️")
    assert "Занадто дорого" in report.visible and "A-1001" in report.visible
    hook = await world.hooks.wait_for("order.refusal_reason")
    assert hook["reason"] == "price"
    again = await world.olena.press_forged(
        ask.message_id, price
    ).answer()  # a stale copy of the buttons
    assert again.show_alert and "відповідь уже в нас" in again.text


async def test_cannot_pick_up_in_own_words_reaches_managers(world: World):
    await confirmed_and_shipped(world)
    await arrive(world)
    arrived = await world.telegram.wait_for_message(world.olena.id, "📦")
    await world.olena.press(arrived, "🙁 Не можу забрати").answer()
    await world.telegram.wait_for_edit(world.olena.id, arrived.message_id)
    await world.olena.press(arrived, "Інша причина").answer()
    await world.telegram.wait_for_message(world.olena.id, "одним повідомленням")
    world.olena.send_text("Лежу в лікарні до понеділка")
    await world.telegram.wait_for_message(world.olena.id, "менеджеру")
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "🙁")
    assert "Лежу в лікарні до понеділка" in alert.visible and WAYBILL in alert.visible
    hook = await world.hooks.wait_for("shipment.cannot_pick_up")
    assert (hook["reason"], hook["comment"]) == ("other", "Лежу в лікарні до понеділка")


async def test_an_arrival_learnt_two_weeks_late_is_one_true_message(world: World):
    """The shop syncs late: the parcel has waited since 23 November, free until 30 November."""
    await confirmed_and_shipped(world)
    await world.telegram.wait_for_message(world.olena.id, "🚚")
    world.clock.advance(datetime(2026, 12, 7, 8, 0, tzinfo=UTC) - world.clock.now())

    late = {
        "status": "arrived",
        "occurred_at": "2026-11-23T12:00:00+02:00",
        "storage_until": "2026-11-30",
        "point": "Відділення №12, вул. Хрещатик, 1",
    }
    answer = await shop_post(world, f"/api/v1/shipments/{WAYBILL}/events", late)
    assert answer["applied"] is True

    notice = await world.telegram.wait_for_message(world.olena.id, "📦")
    assert "чекає на вас з 23 листопада" in notice.visible
    assert "Безкоштовне зберігання закінчилося 30 листопада" in notice.visible
    messages = world.telegram.bot_messages(world.olena.id)
    assert not any("⏰" in m.visible for m in messages)  # overdue reminders were dropped
    async with world.db.uow() as uow:
        order = await uow.orders.by_external_id("A-1001")
        pending = [t.kind for t in await uow.timers.of_order(order.id) if t.done_at is None]
    assert not [kind for kind in pending if kind.startswith("pickup")]
