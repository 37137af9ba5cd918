"""/forget in Telegram: a confirmation first, only admins, forged buttons change nothing; after
it no table holds Olena's phone, name, Telegram id or IBAN, her photos are gone, and /stats reads
the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.return_draft import Photo
from bot.standin.media import TINY_PNG, new_photo_set
from storage.models import Return
from tests.e2e.conftest import World
from tests.e2e.test_admin import ask, open_private_chats
from tests.erasure_scan import traces
from tests.services.returns.helpers import COMPACT_IBAN
from tests.services.test_forget import olena_with_history


@pytest.fixture
def extra_settings(tmp_path: Path) -> dict[str, object]:
    return {"return_photos_dir": tmp_path / "photos"}


def real_photos(world: World) -> tuple[Photo, ...]:
    """Photos Telegram (the stand-in) knows, as if Olena had sent them."""
    sets = [new_photo_set(world.telegram.world, TINY_PNG)[-1] for _ in range(2)]
    return tuple(Photo(size["file_id"], size["file_unique_id"]) for size in sets)


async def stats_chart(world: World) -> str:
    world.manager.send_command("/stats")
    chart = await world.telegram.wait_for_message(world.manager.id, lambda m: m.kind == "photo")
    return chart.visible


async def test_an_admin_confirms_and_every_trace_goes(world: World) -> None:
    await open_private_chats(world)
    ctx = world.app.ctx
    customer_id, folder = await olena_with_history(world.db, ctx, real_photos(world))
    async with world.db.read() as uow:
        order = await uow.orders.by_external_id("A-1002")
        assert order is not None
        old_link = order.link_token
    before = await stats_chart(world)

    question = await ask(world, "/forget", "050 123 45 67")
    assert "Олена Коваль" in question and "Замовлень: 2." in question
    assert "1 з них ще відкрите" in question
    asked = world.telegram.bot_messages(world.manager.id)[-1]

    # Someone who is not an admin presses the very button: nothing happens.
    refused = await world.intern.press_forged(
        asked.message_id, f"fg:e:{customer_id}", chat_id=world.manager.id
    ).answer()
    assert "немає прав" in refused.text
    assert await traces(world.db) != []

    await world.manager.press(asked, "🗑 Видалити назавжди").answer()
    done = await world.telegram.wait_for_edit(world.manager.id, asked.message_id)
    assert f"Персональні дані клієнта #{customer_id} видалено" in done.after.text
    assert "Олена" not in done.after.text

    assert await traces(world.db) == []
    assert not folder.exists()
    assert await stats_chart(world) == before
    audit = await ask(world, "/audit")
    assert "видалив(-ла) персональні дані клієнта" in audit and "Марія" in audit
    # The order's old link opens nothing now.
    world.olena.send_command("/start", old_link)
    answer = await world.telegram.wait_for_message(world.olena.id)
    assert "посилання вже недійсне" in answer.visible
    async with world.db.read() as uow:
        assert await uow.customers.by_telegram_id(world.olena.id) == []


async def test_keep_unknown_phones_forged_buttons_and_strangers_change_nothing(
    world: World,
) -> None:
    await open_private_chats(world)
    customer_id, folder = await olena_with_history(world.db, world.app.ctx, real_photos(world))

    assert "Як користуватися: /forget" in await ask(world, "/forget")
    assert "Немає клієнта з номером телефону +380671112233" in await ask(
        world, "/forget", "+380671112233"
    )
    assert "не дійсний номер телефону" in await ask(world, "/forget", "12345")
    world.intern.send_command("/forget", "+380501234567")
    assert "немає прав" in (await world.telegram.wait_for_message(world.intern.id)).visible

    await ask(world, "/forget", "+380501234567")
    asked = world.telegram.bot_messages(world.manager.id)[-1]
    forged = await world.manager.press_forged(asked.message_id, "fg:e:99999999999").answer()
    assert "не дійсна" in forged.text or forged.show_alert
    missing = await world.manager.press_forged(asked.message_id, "fg:e:424242").answer()
    assert "не знайдено" in missing.text
    await world.manager.press(asked, "Залишити").answer()
    kept = await world.telegram.wait_for_edit(world.manager.id, asked.message_id)
    assert kept.after.text == "Нічого не видалено."

    assert folder.exists()
    async with world.db.read() as uow:
        customer = await uow.customers.get(customer_id)
        assert customer is not None and customer.erased_at is None
        assert (customer.phone, customer.name, customer.telegram_id) == (
            "+380501234567",
            "Олена Коваль",
            world.olena.id,
        )
        (returned,) = await uow.session.scalars(select(Return))
        assert (returned.iban, len(returned.photos)) == (COMPACT_IBAN, 2)
        assert await uow.audit.latest(10) == []
