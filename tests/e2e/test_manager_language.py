"""MANAGER_LANGUAGE: the managers read their chat in their language, customers keep theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.languages import Language
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
