"""MANAGER_LANGUAGE: the managers read their chat in their language, customers keep theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from bot.domain.languages import Language
from storage.fsm import DatabaseStorage
from tests.e2e.conftest import MANAGERS_CHAT, World


@pytest.fixture
def extra_settings() -> dict[str, object]:
    return {"default_language": Language.uk, "manager_language": Language.en}


async def test_alerts_and_the_command_menu_follow_the_managers_language(world: World):
    await world.shop.create_order(
        external_id="L-1", customer={"phone": "0671234567", "name": "Іван"}
    )
    world.clock.advance(timedelta(minutes=15))

    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Call this customer")
    assert "they have not opened the bot" in alert.visible and "L-1" in alert.visible
    menus = {
        key: {c["command"]: c["description"] for c in menu}
        for key, menu in world.telegram.world.commands.items()
    }
    managers_menu = next(menu for key, menu in menus.items() if str(MANAGERS_CHAT) in key)
    customers_menu = menus['{"type": "default"}|']  # customers with no language of their own
    assert managers_menu["rating"] == "A customer's rating and history"
    assert customers_menu["orders"] == "Мої замовлення"


async def test_answers_in_the_managers_chat_follow_the_managers_language_too(world: World):
    await world.shop.create_order(
        external_id="L-2", customer={"phone": "0671234567", "name": "Іван"}
    )
    world.clock.advance(timedelta(minutes=15))
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Call this customer")

    refused = await world.intern.press(alert, "📞 I'll call").answer()
    assert (refused.text, refused.show_alert) == ("You are not allowed to do this.", True)
    taken = await world.manager.press(alert, "📞 I'll call").answer()
    assert taken.text == "The customer is yours: please call them now."

    world.intern.send_command("/rating", "L-2", chat_id=MANAGERS_CHAT)
    denied = await world.telegram.wait_for_message(MANAGERS_CHAT, "allowed")
    assert denied.visible == "You are not allowed to do this."


async def test_an_apology_in_the_managers_chat_is_in_the_managers_language(
    world: World, monkeypatch: pytest.MonkeyPatch
):
    async def database_down(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database is down"))

    # The first thing every update reads is the conversation state: the person is not known yet.
    monkeypatch.setattr(DatabaseStorage, "get_state", database_down)
    world.manager.send_command("/rating", "0671234567", chat_id=MANAGERS_CHAT)

    apology = await world.telegram.wait_for_message(MANAGERS_CHAT, "Sorry")
    assert (
        apology.visible == "Sorry, something went wrong on our side. Please try again in a minute."
    )
