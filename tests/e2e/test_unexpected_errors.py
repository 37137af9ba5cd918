"""When something breaks inside the bot, the person hears an apology in their language, never a
traceback or silence, and nothing is half-changed."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

from bot.domain.languages import Language
from bot.services import confirmation, customers
from bot.services.people import TelegramUser
from bot.telegram import middlewares
from tests.e2e.conftest import World
from tests.e2e.test_confirmation import open_deep_link

APOLOGY_UK = "Вибачте, у нас щось пішло не так. Будь ласка, спробуйте ще раз за хвилину."
APOLOGY_EN = "Sorry, something went wrong on our side. Please try again in a minute."


def database_down(*_args: object, **_kwargs: object) -> None:
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database is down"))


async def test_a_press_that_fails_is_apologised_for_in_her_language_and_changes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    _, card = await open_deep_link(world)
    olena = TelegramUser(id=world.olena.id, full_name="Олена")
    await customers.set_language(world.db, olena, Language.en)

    async def broken_confirm(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug in confirming")

    monkeypatch.setattr(confirmation, "confirm", broken_confirm)
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        answer = await world.olena.press(card, "✅ Підтвердити").answer()

    assert (answer.text, answer.show_alert) == (APOLOGY_EN, True)
    assert (await world.shop.get_order("A-1001"))["status"] == "new"
    (logged,) = [r for r in caplog.records if r.name == "handlers.errors"]
    assert logged.exc_info is not None and "a bug in confirming" in str(logged.exc_info[1])

    monkeypatch.undo()  # fixed: the same button works
    answer = await world.olena.press(card, "✅ Підтвердити").answer()
    assert answer.text == "Thank you! Order A-1001 is confirmed."


async def test_when_even_her_language_cannot_be_read_the_apology_is_in_the_default_one(
    world: World, monkeypatch: pytest.MonkeyPatch
):
    await open_deep_link(world)
    monkeypatch.setattr(middlewares, "language_of", database_down)

    world.olena.send_text("Коли буде посилка?")

    reply = await world.telegram.wait_for_message(world.olena.id, "спробуйте ще раз")
    assert reply.visible == APOLOGY_UK
