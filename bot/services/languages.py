"""Which language a person reads: one answer for the replies to what they send and for every
message queued to them, so a customer never hears the bot switch languages between the two."""

from __future__ import annotations

from bot.domain.languages import Language, resolve_language
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from storage.models import Order
from storage.uow import Database, UnitOfWork


async def language_for(
    uow: UnitOfWork,
    ctx: ServiceContext,
    *,
    telegram_id: int | None,
    telegram_language: str | None,
    order: Order | None = None,
) -> Language:
    """Their own choice (/language), else the language of the order the message is about (or,
    about none, of their latest order), else their Telegram app's, else the shop's default."""
    chosen: str | None = None
    order_language = order.language if order is not None else None
    if telegram_id is not None and order is None:
        chosen, order_language = await uow.preferences.languages_of(telegram_id)  # one query
    elif telegram_id is not None:
        chosen = await uow.preferences.language(telegram_id)
    return resolve_language(
        chosen=chosen,
        order_language=order_language,
        telegram_language=telegram_language,
        default=ctx.default_language,
    )


async def language_of(db: Database, ctx: ServiceContext, person: TelegramUser) -> Language:
    """For a reply to the person's update (asked on every update: a read, no write lock)."""
    async with db.read() as uow:
        return await language_for(
            uow, ctx, telegram_id=person.id, telegram_language=person.language_code
        )
