"""/preview: an admin sees a tracking message as a customer would, filled with a sample order."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.i18n import Translator
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.people import TelegramUser
from bot.texts.templates.preview import parse_request, preview, usage


async def preview_template(
    message: Message,
    command: CommandObject,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    require_admin(ctx, person)
    request = parse_request(command.args)
    if request is None:
        await message.answer(usage(t))
        return
    shown = preview(ctx.templates, ctx.catalogs, request, t)
    await message.answer(shown.header)
    await message.answer(shown.body)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(preview_template, Command("preview"))
    return router
