"""A parcel that stops moving, as the managers, the customer and the shop see it, through the real
application: the hourly check wakes on the clock, the button and /stalled go through Telegram."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.e2e.test_tracking import WAYBILL, confirmed_and_shipped, shop_post


@pytest.fixture
def extra_settings() -> dict[str, object]:
    """The rules as a new shop has them (the other end-to-end tests turn them off)."""
    return {
        "stall_not_shipped": "2d",
        "stall_not_scanned": "2d",
        "stall_in_transit": "5d",
        "stall_storage_left": "2d",
    }


async def cleared(world: World, timeout: float = 5.0) -> None:
    """Until the check, woken by the clock, has seen the parcel move."""
    for _ in range(int(timeout / 0.05)):
        async with world.db.read() as uow:
            if await uow.stalls.count_open() == 0:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the stall did not clear")


async def test_a_parcel_slow_in_transit_is_announced_handled_listed_and_clears(world: World):
    await confirmed_and_shipped(world)
    await world.telegram.wait_for_message(world.olena.id, "🚚")
    await shop_post(world, f"/api/v1/shipments/{WAYBILL}/events", {"status": "in_transit"})

    world.clock.advance(timedelta(days=4, hours=23))  # not yet
    world.clock.advance(timedelta(hours=2))  # five days in transit, 11:00 in Kyiv
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Посилка застрягла")
    assert "A-1001" in alert.visible and "+380501234567" in alert.visible
    assert "у дорозі з 20 листопада" in alert.visible and WAYBILL in alert.visible
    event = await world.hooks.wait_for("order.stalled")
    assert (event["external_id"], event["reason"]) == ("A-1001", "in_transit")
    slow = await world.telegram.wait_for_message(world.olena.id, "довше, ніж зазвичай")
    assert "A-1001" in slow.visible

    refused = await world.intern.press(alert, "🙋 Я займуся").answer()
    assert refused.show_alert and "немає прав" in refused.text
    taken = await world.manager.press(alert, "🙋 Я займуся").answer()
    assert "Посилка ваша" in taken.text
    edited = await world.telegram.wait_for_edit(MANAGERS_CHAT, alert.message_id)
    assert "Цим займається Марія" in edited.after.text and not edited.after.reply_markup

    world.manager.send_command("/stalled", chat_id=MANAGERS_CHAT)
    listing = await world.telegram.wait_for_message(MANAGERS_CHAT, "сторінка 1 з 1")
    assert "A-1001" in listing.visible and "(🙋 Марія)" in listing.visible

    # A day later: announced once, told once, the shop told once.
    world.clock.advance(timedelta(days=1))
    await shop_post(world, f"/api/v1/shipments/{WAYBILL}/events", {"status": "arrived"})
    world.clock.advance(timedelta(hours=1))
    await cleared(world)
    world.manager.send_command("/stalled", chat_id=MANAGERS_CHAT)
    await world.telegram.wait_for_message(MANAGERS_CHAT, "Жодна посилка не застрягла")
    messages = world.telegram.bot_messages
    assert sum("Посилка застрягла" in m.visible for m in messages(MANAGERS_CHAT)) == 1
    assert sum("довше, ніж зазвичай" in m.visible for m in messages(world.olena.id)) == 1
    assert sum(e["event"] == "order.stalled" for e in world.hooks.events) == 1
