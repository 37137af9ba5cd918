"""/start: deep links, greetings, and linking by a shared contact."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup

from bot.i18n import Translator
from bot.services import linking
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.texts.errors import explain
from storage.uow import Database

# Telegram allows /start payloads of up to 64 characters of A-Za-z0-9_-
DEEP_LINK = r"^[A-Za-z0-9_-]{1,64}$"


def share_phone_keyboard(t: Translator) -> ReplyKeyboardMarkup:
    button = KeyboardButton(text=t.gettext("📱 Share my phone number"), request_contact=True)
    return ReplyKeyboardMarkup(keyboard=[[button]], resize_keyboard=True, one_time_keyboard=True)


async def start_with_link(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    try:
        await linking.link_by_token(db, ctx, command.args or "", person)
    except (linking.LinkInvalid, linking.LinkedElsewhere) as error:
        await message.answer(explain(t, error), reply_markup=share_phone_keyboard(t))


async def start(
    message: Message, db: Database, ctx: ServiceContext, person: TelegramUser, t: Translator
) -> None:
    if await linking.resume(db, ctx, person) is not None:
        return  # greeted, with any waiting cards, through the outbox
    await message.answer(
        t.gettext(
            "Hello! I will help you confirm your orders and tell you when they arrive.\n"
            "Share your phone number with the button below so I can find your orders."
        ),
        reply_markup=share_phone_keyboard(t),
    )


async def contact_shared(
    message: Message, db: Database, ctx: ServiceContext, person: TelegramUser, t: Translator
) -> None:
    contact = message.contact
    if contact is None:  # the filter guarantees it; keeps type checkers honest
        return
    try:
        await linking.link_by_contact(db, ctx, contact.phone_number, contact.user_id, person)
    except (linking.NotYourContact, linking.ContactPhoneInvalid) as error:
        await message.answer(explain(t, error), reply_markup=share_phone_keyboard(t))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.type == "private")
    router.message.register(
        start_with_link, CommandStart(deep_link=True, magic=F.args.regexp(DEEP_LINK))
    )
    router.message.register(start, CommandStart())
    router.message.register(contact_shared, F.contact)
    return router
