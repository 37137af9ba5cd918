"""/help, /cancel and /language: work at any time, in any state."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.domain.languages import Language
from bot.i18n import Translator
from bot.keyboards.callbacks import LanguageCD
from bot.services import customers
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.telegram.states import OrderDialog, ParcelDialog, ReturnFlow
from bot.texts.returns import flow as return_texts
from storage.uow import Database

LANGUAGE_NAMES = {Language.uk: "🇺🇦 Українська", Language.ru: "Русский", Language.en: "🇬🇧 English"}


def help_text(t: Translator) -> str:
    return t.gettext(
        "I confirm your orders and tell you when they ship and arrive.\n\n"
        "/orders — your recent orders and their status\n"
        "/return — return an item you received\n"
        "/language — change the language\n"
        "/cancel — stop the current step\n"
        "/start — link this chat to your phone number"
    )


async def show_help(message: Message, t: Translator) -> None:
    await message.answer(help_text(t))


async def cancel_step(message: Message, state: FSMContext, t: Translator) -> None:
    current = await state.get_state()
    if current is None:
        await message.answer(t.gettext("Nothing to stop right now."))
        return
    await state.clear()
    if current in ReturnFlow.__all_states_names__:
        await message.answer(return_texts.cancelled(t))
        return
    await message.answer(t.gettext("Stopped. Your order was not changed."))


async def not_in_words(message: Message, t: Translator) -> None:
    """A photo, a sticker or a voice note where we asked for words: ask again, change nothing."""
    await message.answer(t.gettext("Please write it as a text message, or send /cancel to stop."))


async def choose_language(message: Message, t: Translator) -> None:
    rows = [
        [InlineKeyboardButton(text=name, callback_data=LanguageCD(language=language).pack())]
        for language, name in LANGUAGE_NAMES.items()
    ]
    await message.answer(
        t.gettext("Choose your language:"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
    )


async def language_chosen(
    query: CallbackQuery,
    callback_data: LanguageCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
) -> None:
    await customers.set_language(db, person, callback_data.language)
    t = ctx.catalogs(callback_data.language)
    text = t.gettext("Done! I will speak English with you now.")
    if isinstance(query.message, Message):
        await query.message.edit_text(text)
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(not_in_words, StateFilter(OrderDialog, ParcelDialog), ~F.text)
    router.message.register(show_help, Command("help"))
    router.message.register(cancel_step, Command("cancel"))
    router.message.register(choose_language, Command("language"), F.chat.type == "private")
    router.callback_query.register(language_chosen, LanguageCD.filter())
    return router
