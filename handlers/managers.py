"""The managers' chat: taking a call, looking up an order. Only ADMIN_IDS may act."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.keyboards.callbacks import ManagerAction, ManagerCD
from bot.services import managers
from bot.services.context import ServiceContext
from bot.services.people import MessageRef, TelegramUser
from storage.uow import Database


async def take_call(
    query: CallbackQuery,
    callback_data: ManagerCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    message = query.message
    if message is None:
        await query.answer(t.gettext("This button is no longer valid."), show_alert=True)
        return
    alert = MessageRef(chat_id=message.chat.id, message_id=message.message_id)
    await managers.take_call(db, ctx, callback_data.order_id, person, alert)
    await query.answer(t.gettext("The customer is yours: please call them now."))


async def order_lookup(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    managers.require_admin(ctx, person)
    external_id = (command.args or "").strip()
    if not external_id or len(external_id) > 64:
        await message.answer(t.gettext("Usage: /order [order number], for example /order A-1001"))
        return
    await message.answer(await managers.order_report(db, ctx, external_id, person))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(take_call, ManagerCD.filter(F.action == ManagerAction.take_call))
    router.message.register(order_lookup, Command("order"))
    return router
