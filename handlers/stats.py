"""/stats [7d|30d|90d]: the buyout figures and their chart, for ADMIN_IDS only.

Only in the managers' chat or in a private chat with the bot: the figures name customers.
"""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot.charts import render_stats_chart
from bot.domain.errors import NotAllowed
from bot.domain.periods import PERIOD_CODES, parse_period
from bot.i18n import Translator
from bot.services import stats
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.people import TelegramUser
from bot.texts.digest import text_length
from bot.texts.stats import MAX_CAPTION, chart_caption, stats_text, usage
from storage.uow import Database

CHART_FILENAME = "stats.png"


def _allowed_chat(message: Message, ctx: ServiceContext) -> bool:
    return message.chat.type == "private" or message.chat.id == ctx.manager_chat_id


async def show_stats(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    require_admin(ctx, person)
    if not _allowed_chat(message, ctx):
        raise NotAllowed()
    period = parse_period(command.args)
    if period is None:
        await message.answer(usage(t, PERIOD_CODES))
        return
    report = await stats.stats_report(db, ctx, person, period)
    text = stats_text(report, t)
    png = await asyncio.to_thread(render_stats_chart, report, t)
    photo = BufferedInputFile(png, filename=CHART_FILENAME)
    if text_length(text) <= MAX_CAPTION:
        await message.answer_photo(photo, caption=text)
        return
    await message.answer(text)
    await message.answer_photo(photo, caption=chart_caption(report, t))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_stats, Command("stats"))
    return router
