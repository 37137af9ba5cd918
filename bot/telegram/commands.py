"""The command menu Telegram shows, in every language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeDefault

from bot.domain.errors import N_
from bot.domain.languages import Language
from bot.i18n import Catalogs

CUSTOMER_COMMANDS = (
    ("orders", N_("My orders")),
    ("language", N_("Change the language")),
    ("help", N_("What the bot can do")),
    ("cancel", N_("Stop the current step")),
)


async def publish_commands(bot: Bot, catalogs: Catalogs, default: Language) -> None:
    for language in Language:
        t = catalogs(language)
        commands = [
            BotCommand(command=name, description=t.gettext(text))
            for name, text in CUSTOMER_COMMANDS
        ]
        await bot.set_my_commands(
            commands,
            scope=BotCommandScopeDefault(),
            language_code=None if language is default else language.value,
        )
