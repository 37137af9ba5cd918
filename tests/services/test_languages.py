"""One rule for the language a person reads, whether the bot answers them or writes first."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from bot.domain.languages import Language
from bot.services import customers, languages
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.services.notifier import Notifier
from storage.uow import Database
from tests.factories import OLENA, new_order


async def heard(db: Database, ctx: ServiceContext, order_id: str | None = None) -> str:
    """The language of a message queued to Olena, about this order or about none."""
    async with db.read() as uow:
        (customer,) = await uow.customers.by_telegram_id(OLENA.id)
        order = await uow.orders.by_external_id(order_id) if order_id else None
        t = await Notifier(uow, ctx).translator_for(customer, order)
    return t.language


async def test_a_message_about_no_order_speaks_as_her_replies_do(
    db: Database, ctx: ServiceContext, clock: ManualClock
) -> None:
    await intake_order(db, ctx, new_order("A-1", telegram_id=OLENA.id, language=Language.en))
    clock.advance(timedelta(minutes=1))
    await intake_order(db, ctx, new_order("A-2", telegram_id=OLENA.id, language=Language.ru))
    async with db.uow() as uow:  # her Telegram app says "uk"
        (customer,) = await uow.customers.by_telegram_id(OLENA.id)
        customer.telegram_language = OLENA.language_code
        await uow.commit()

    assert await languages.language_of(db, ctx, OLENA) == Language.ru  # her latest order's
    assert await heard(db, ctx) == "ru"  # the same, not her app's
    assert await heard(db, ctx, "A-1") == "en"  # a message about an order speaks its language

    await customers.set_language(db, OLENA, Language.uk)  # her choice wins everywhere
    assert await languages.language_of(db, ctx, OLENA) == Language.uk
    assert (await heard(db, ctx), await heard(db, ctx, "A-1")) == ("uk", "uk")
