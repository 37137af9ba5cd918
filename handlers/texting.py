"""STOP for Viber/SMS: a customer's STOP (or /stop) in the bot, and the admins' /nosms and /sms."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.domain.targets import parse_target
from bot.i18n import Translator
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.outreach import stops
from bot.services.people import TelegramUser
from bot.texts import admin as admin_texts
from storage.uow import Database

# What a customer may write to stop texting, in the bot's languages (compared case-insensitively).
STOP_WORDS = frozenset({"stop", "стоп", "/stop"})


def is_stop(message: Message) -> bool:
    """A text that is only STOP (a photo, a sticker or a longer text is not)."""
    return message.text is not None and message.text.strip().casefold() in STOP_WORDS


async def stop_said(message: Message, db: Database, t: Translator) -> None:
    assert message.from_user is not None
    await stops.stop_from_chat(db, message.from_user.id)
    await message.answer(
        t.gettext(
            "🔕 Done: we will not send you Viber or SMS messages any more. Order news still "
            "comes here, in the bot."
        )
    )


async def texting_command(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """/nosms and /sms: a customer (phone, order number or @username)."""
    require_admin(ctx, person)
    target, rest = parse_target((command.args or "").strip())
    if target is None or rest:
        await message.answer(admin_texts.usage(t, command.command))
        return
    customer = await stops.set_by_admin(db, ctx, person, target, allowed=command.command == "sms")
    await message.answer(admin_texts.texting_reply(t, customer))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(texting_command, Command("nosms", "sms"))
    router.message.register(
        stop_said,
        F.chat.type == ChatType.PRIVATE,
        is_stop,
    )
    return router
