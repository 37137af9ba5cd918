"""``vykup run``: start the bot and stop it cleanly on SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from typing import NoReturn

from bot.cli.settings import EXIT_CONFIG
from bot.cluster.roles import Role
from bot.config import Settings
from bot.i18n import CatalogError, Catalogs


async def serve(
    settings: Settings, role: Role = Role.all, catalogs: Catalogs | None = None
) -> None:
    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    from bot.app import Application
    from bot.texts.templates import TemplateError
    from bot.web.telegram_webhook import WebhookRefused

    app = Application(settings, role=role, catalogs=catalogs)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await app.start()
    except CatalogError as error:
        _fail(f"the translations cannot be loaded: {error}", EXIT_CONFIG)
    except TemplateError as error:
        _fail(f"TEMPLATES_FILE is invalid: {error}", EXIT_CONFIG)
    except WebhookRefused as error:
        _fail(f"WEBHOOK_URL was refused by Telegram: {error}", EXIT_CONFIG)
    except TelegramUnauthorizedError:
        _fail("BOT_TOKEN was rejected by Telegram: check it with @BotFather", EXIT_CONFIG)
    except TelegramNetworkError as error:
        _fail(f"cannot reach Telegram at {settings.telegram_api_url}: {error}", 1)
    except OSError as error:
        _fail(f"cannot start the shop API on {settings.api_host}:{settings.api_port}: {error}", 1)
    try:
        await stop.wait()
    finally:
        logging.getLogger("vykup").info("stopping…")
        await app.stop()


def _fail(message: str, code: int) -> NoReturn:
    print(f"vykup: {message}", file=sys.stderr)
    raise SystemExit(code) from None
