"""Stalled parcels in the managers' chat: "I'll handle it" and /stalled. Only ADMIN_IDS may act."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.keyboards.callbacks import StallAction, StallCD, StallPageCD
from bot.keyboards.stalls import page_keyboard
from bot.services import stalls
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.people import MessageRef, TelegramUser
from bot.texts import stalls as texts
from storage.uow import Database


async def handle_pressed(
    query: CallbackQuery,
    callback_data: StallCD,
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
    await stalls.take(db, ctx, callback_data.stall_id, person, alert)
    await query.answer(t.gettext("The parcel is yours: please sort it out."))


async def stalled_command(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """/stalled [page]: the parcels that stopped moving, the oldest first, 10 a page."""
    require_admin(ctx, person)
    argument = (command.args or "").strip()
    if argument and not (argument.isdigit() and 0 < int(argument) < 10_000):
        await message.answer(t.gettext("Usage: /stalled [page], for example /stalled 2"))
        return
    page = await stalls.page(db, ctx, person, int(argument) - 1 if argument else 0)
    await message.answer(
        texts.page_reply(page, t, ctx.timezone),
        reply_markup=page_keyboard(page.page, page.pages, t),
    )


async def page_pressed(
    query: CallbackQuery,
    callback_data: StallPageCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    page = await stalls.page(db, ctx, person, callback_data.page)
    if isinstance(query.message, Message):
        await query.message.edit_text(
            texts.page_reply(page, t, ctx.timezone),
            reply_markup=page_keyboard(page.page, page.pages, t),
        )
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(handle_pressed, StallCD.filter(F.action == StallAction.take))
    router.callback_query.register(page_pressed, StallPageCD.filter())
    router.message.register(stalled_command, Command("stalled"))
    return router
