"""Forged buttons whose numbers no row can have (too big for the database, negative) are stale
buttons: answered "no longer valid", logged in one line, and they change nothing."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.e2e.test_confirmation import open_deep_link

NO_LONGER_VALID = "Ця кнопка вже не діє."
TOO_BIG = "99999999999999999999"  # past BIGINT, let alone INTEGER


def assert_noted_in_one_info_line(caplog: pytest.LogCaptureFixture, data: str) -> None:
    (note,) = [r for r in caplog.records if r.name == "handlers.fallback"]
    assert (note.levelno, note.exc_info) == (logging.INFO, None)
    assert data in note.getMessage() and "\n" not in note.getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("data", [f"o:c:{TOO_BIG}", "o:x:-1", f"oc:mind:{TOO_BIG}"])
async def test_a_customers_forged_number_is_a_stale_button(
    world: World, caplog: pytest.LogCaptureFixture, data: str
):
    _, card = await open_deep_link(world)
    with caplog.at_level(logging.INFO):
        answer = await world.olena.press_forged(card.message_id, data).answer()

    assert (answer.text, answer.show_alert) == (NO_LONGER_VALID, True)
    assert_noted_in_one_info_line(caplog, data)
    assert (await world.shop.get_order("A-1001"))["status"] == "new"
    assert world.hooks.names() == []

    # The real button still works.
    confirmed = await world.olena.press(card, "✅ Підтвердити").answer()
    assert "A-1001" in (confirmed.text or "")


@pytest.mark.parametrize(
    "data", [f"m:t:{TOO_BIG}", f"rk:a:{TOO_BIG}", f"rt:a:{TOO_BIG}", "ub:-3:0", f"bp:{TOO_BIG}"]
)
async def test_a_managers_forged_number_is_a_stale_button(
    world: World, caplog: pytest.LogCaptureFixture, data: str
):
    await world.shop.create_order(external_id="B-1", customer={"phone": "0671234567"})
    world.clock.advance(timedelta(minutes=15))
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "бота ще не відкрили")
    await world.hooks.wait_for("order.customer_unreachable")

    with caplog.at_level(logging.INFO):
        answer = await world.manager.press_forged(
            alert.message_id, data, chat_id=MANAGERS_CHAT
        ).answer()

    assert (answer.text, answer.show_alert) == (NO_LONGER_VALID, True)
    assert_noted_in_one_info_line(caplog, data)
    assert (await world.shop.get_order("B-1"))["status"] == "new"
    assert world.hooks.names() == ["order.customer_unreachable"]
    assert world.telegram.bot_messages(MANAGERS_CHAT) == [alert]  # nothing new was said
