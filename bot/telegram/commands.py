"""The command menu Telegram shows, in every language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.domain.errors import N_
from bot.domain.languages import Language
from bot.i18n import Catalogs

CUSTOMER_COMMANDS = (
    ("orders", N_("My orders")),
    ("return", N_("Return an item")),
    ("language", N_("Change the language")),
    ("help", N_("What the bot can do")),
    ("cancel", N_("Stop the current step")),
)

# Shown in the managers' chat only; the services check ADMIN_IDS whoever types them.
MANAGER_COMMANDS = (
    ("rating", N_("A customer's rating and history")),
    ("find", N_("Find a customer by phone or name")),
    ("blacklist", N_("Blacklist a customer")),
    ("unblock", N_("Unblock a customer")),
    ("blacklisted", N_("Everyone on the blacklist")),
    ("note", N_("Add a note about a customer")),
    ("flag", N_("Flag a customer: rude, fraud, address")),
    ("audit", N_("Who did what, and when")),
    ("forget", N_("Erase a customer's personal data")),
    ("stats", N_("Buyout statistics with a chart")),
    ("order", N_("An order and its history")),
    ("returns", N_("Open returns, oldest first")),
    ("stalled", N_("Parcels that stopped moving")),
)


async def publish_commands(
    bot: Bot,
    catalogs: Catalogs,
    default: Language,
    manager_chat_id: int | None = None,
    *,
    managers: Language | None = None,
) -> None:
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
    if manager_chat_id is not None:
        t = catalogs(managers or default)
        await bot.set_my_commands(
            [
                BotCommand(command=name, description=t.gettext(text))
                for name, text in MANAGER_COMMANDS
            ],
            scope=BotCommandScopeChat(chat_id=manager_chat_id),
        )
