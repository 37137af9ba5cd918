"""Admin commands in Telegram: arguments checked, answers shown, only admins act."""

from __future__ import annotations

import json

from bot.domain.orders import OrderStatus
from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.services.risk_history import past_order


async def open_private_chats(world: World) -> None:
    for person in (world.manager, world.intern):
        person.send_command("/start")
        await world.telegram.wait_for_message(person.id)


async def ask(world: World, command: str, payload: str | None = None) -> str:
    """The admin writes to the bot in private; the bot's answer."""
    world.manager.send_command(command, payload)
    return (await world.telegram.wait_for_message(world.manager.id)).visible


async def test_commands_explain_missing_and_malformed_arguments(world: World):
    await open_private_chats(world)
    await past_order(world.db, world.app.ctx, "A-1", OrderStatus.received)
    assert "Як користуватися: /blacklist" in await ask(world, "/blacklist")
    assert "неправильний номер" in await ask(world, "/rating", "+380 00 000 00 00")
    assert "не знайдено" in await ask(world, "/rating", "Z-404")
    assert "неправильне ім'я користувача" in await ask(world, "/unblock", "@x")
    assert "Як користуватися: /flag" in await ask(world, "/flag", "A-1 weird")
    assert "Як користуватися: /note" in await ask(world, "/note", "A-1")
    assert "Як користуватися: /find" in await ask(world, "/find", "ab")
    assert "Як користуватися: /blacklisted" in await ask(world, "/blacklisted", "x")
    assert "не в чорному списку" in await ask(world, "/unblock", "A-1")

    world.intern.send_command("/blacklist", "A-1 rude")
    refused = await world.telegram.wait_for_message(world.intern.id)
    assert "немає прав" in refused.visible
    world.intern.send_command("/rating", "A-1", chat_id=MANAGERS_CHAT)
    assert "немає прав" in (await world.telegram.wait_for_message(MANAGERS_CHAT)).visible
    async with world.db.uow() as uow:
        assert await uow.audit.latest(10) == []
        assert (await uow.customers.by_phone("+380501234567")).blacklist_state is None


async def test_the_managers_chat_menu_lists_the_admin_commands(world: World):
    scope = json.dumps({"chat_id": MANAGERS_CHAT, "type": "chat"}, sort_keys=True)
    menu = world.telegram.world.commands[f"{scope}|"]
    names = [command["command"] for command in menu]
    assert names[:3] == ["rating", "find", "blacklist"] and "stats" in names
    assert menu[0]["description"] == "Рейтинг та історія клієнта"


async def test_an_admin_rates_notes_flags_blacklists_and_unblocks(world: World):
    ctx = world.app.ctx
    await open_private_chats(world)
    await past_order(world.db, ctx, "A-1", OrderStatus.received)
    await past_order(world.db, ctx, "A-2", OrderStatus.refused, refusal_reason="price")

    rating = await ask(world, "/rating", "+380501234567")
    assert "Рейтинг: ✅ надійний, ризик 10 зі 100" in rating
    assert "відмовився від 1 з 2 посилок" in rating and "«Занадто дорого»" not in rating
    assert "“Занадто дорого”" in rating and "A-2" in rating

    assert "Нотатку для Олена Коваль збережено" in await ask(
        world, "/note", "A-2 просить дзвонити після 18:00"
    )
    flagged = await ask(world, "/flag", "A-1 fraud")
    assert "🚩 Олена Коваль позначено: шахрайство" in flagged and "⚠️ ризиковий" in flagged
    assert "вже має позначку" in await ask(world, "/flag", "A-1 fraud")
    found = await ask(world, "/find", "олена")
    assert "Олена Коваль" in found and "+380501234567" in found

    blacklisted = await ask(world, "/blacklist", "+380 50 123 45 67 грубила кур'єру")
    assert "⛔ Олена Коваль тепер у чорному списку" in blacklisted
    assert "у чорний список додав(ла) Марія" in blacklisted

    world.manager.send_command("/blacklisted")
    listing = await world.telegram.wait_for_message(world.manager.id, "у чорному списку")
    assert "1 клієнт у чорному списку" in listing.visible
    forged = await world.manager.press_forged(listing.message_id, "ub:999999:0").answer()
    assert forged.show_alert and "не знайдено" in forged.text
    await world.manager.press(listing, "🔓 Розблокувати Олена Коваль").answer()
    emptied = await world.telegram.wait_for_edit(world.manager.id, listing.message_id)
    assert "нікого немає" in emptied.after.text

    audit = await ask(world, "/audit", "A-1")
    assert audit.index("розблокував(ла)") < audit.index("додав(ла) до чорного списку")
    assert "поставив(ла) позначку" in audit and "“fraud”" in audit
    assert "Марія" in audit and "“грубила кур'єру”" in audit
