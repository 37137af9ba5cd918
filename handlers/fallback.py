"""Whatever no other handler took: stale or forged buttons, stray messages."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator


async def unknown_button(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t.gettext("This button is no longer valid."), show_alert=True)


async def stray_message(message: Message, t: Translator) -> None:
    await message.answer(
        t.gettext("I did not understand that. Use the buttons under your order, or send /help.")
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(unknown_button)
    router.message.register(stray_message, F.chat.type == "private")
    return router
