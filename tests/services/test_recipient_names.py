"""Each order keeps the name it came with; a relative's order renames no earlier order."""

from __future__ import annotations

from bot.domain.languages import Language
from bot.domain.targets import parse_target
from bot.services import admin
from bot.services.intake import intake_order
from bot.services.shop_status import order_with_history
from bot.texts import manager
from bot.texts.admin import rating_reply
from bot.texts.templates.samples import plain_translator
from tests.factories import MANAGER, new_order

T = plain_translator(Language.en)


async def _two_orders_for_one_phone(db, ctx) -> None:
    await intake_order(db, ctx, new_order("A-1", name="Олена Коваль"))
    await intake_order(db, ctx, new_order("A-2", name="Ірина Коваль"))


async def test_an_order_shows_its_own_recipient_after_a_relative_ordered(db, ctx):
    await _two_orders_for_one_phone(db, ctx)

    first, first_events = await order_with_history(db, "A-1")
    second, second_events = await order_with_history(db, "A-2")

    assert first.recipient_name == "Олена Коваль"
    assert "Customer: Олена Коваль, +380501234567" in manager.history(first, first_events, T)
    assert "Customer: Ірина Коваль, +380501234567" in manager.history(second, second_events, T)


async def test_the_rating_names_the_latest_recipient_and_shows_the_earlier_names(db, ctx):
    await _two_orders_for_one_phone(db, ctx)
    await intake_order(db, ctx, new_order("A-3", name="Ірина Коваль"))
    found, _ = parse_target("+380501234567")
    assert found is not None

    rating = await admin.rating(db, ctx, MANAGER, found)
    text = rating_reply(T, rating)

    assert rating.rated.customer.name == "Ірина Коваль"
    assert text.startswith("<b>Ірина Коваль</b>")
    assert "Orders also came for: Олена Коваль" in text
