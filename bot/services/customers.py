"""What a customer asks about themselves: their orders, their language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.languages import Language
from bot.services.people import TelegramUser
from storage.models import Order
from storage.uow import Database

RECENT_ORDERS = 10


async def recent_orders(db: Database, user: TelegramUser) -> Sequence[Order]:
    async with db.read() as uow:
        return await uow.orders.recent_for_telegram_user(user.id, RECENT_ORDERS)


async def is_linked(db: Database, user: TelegramUser) -> bool:
    async with db.read() as uow:
        return bool(await uow.customers.by_telegram_id(user.id))


async def set_language(db: Database, user: TelegramUser, language: Language) -> None:
    async with db.uow() as uow:
        await uow.preferences.set_language(user.id, language.value, uow.clock.now())
        await uow.commit()
