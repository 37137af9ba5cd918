"""Start Vykup: ``python run_bot.py`` runs everything; ``python run_bot.py migrate`` only migrates;
``python run_bot.py import <file.csv|file.json>`` imports past orders (no bot token needed);
``python run_bot.py sandbox`` tries every flow in a browser, without Telegram or a token;
``python run_bot.py webhooks --redeliver`` queues the failed deliveries to the shop again."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from bot.cluster.roles import Role
from bot.config import Settings, StorageSettings, describe_error

EXIT_CONFIG = 2
AnySettings = TypeVar("AnySettings", bound=StorageSettings)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="run_bot.py", description="Vykup: the buyout bot")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "migrate", "import", "sandbox", "webhooks"],
        help="what to do (default: run); import: past orders with their outcomes; sandbox: the "
        "real bot against a built-in Telegram stand-in, in a browser page, with no token; "
        "webhooks: how deliveries to the shop stand (--redeliver: send the failed ones again)",
    )
    parser.add_argument("path", nargs="?", help="import: the .csv or .json file of past orders")
    parser.add_argument(
        "--role",
        choices=[role.value for role in Role],
        default=Role.all.value,
        help="run: web (shop API and Telegram updates), worker (delivery and timers, one leads "
        "at a time) or all (default: everything in this process)",
    )
    parser.add_argument(
        "--port", type=int, default=8090, help="sandbox: the page's port (default 8090)"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="sandbox: print the address, open no browser"
    )
    parser.add_argument(
        "--database-url",
        help="sandbox: a database of your own (default: a temporary SQLite file, deleted at exit)",
    )
    parser.add_argument(
        "--redeliver",
        action="store_true",
        help="webhooks: queue every failed delivery to the shop again (the running bot sends it)",
    )
    args = parser.parse_args(argv)
    if (args.command == "import") != (args.path is not None):
        parser.error("import needs the file to import; other commands take no file")
    if args.redeliver and args.command != "webhooks":
        parser.error("--redeliver goes with the webhooks command")
    return args


SANDBOX_HINT = (
    "vykup: no bot token? Try every flow in a browser first: .venv/bin/python run_bot.py sandbox"
)


def load_settings(kind: type[AnySettings]) -> AnySettings:
    """``migrate`` and ``import`` read only StorageSettings: they need no bot token."""
    try:
        return kind()
    except ValidationError as error:
        print(f"vykup: {describe_error(error)}", file=sys.stderr)
        if any(item["loc"] == ("bot_token",) for item in error.errors()):
            print(SANDBOX_HINT, file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


def run_sandbox(args: argparse.Namespace) -> int:
    from bot.config import LogFormat
    from bot.logs import setup_logging
    from bot.sandbox.cli import serve_sandbox

    setup_logging("WARNING", LogFormat.text)
    try:
        asyncio.run(
            serve_sandbox(
                port=args.port,
                database_url=args.database_url,
                open_browser=not args.no_browser,
            )
        )
    except ValidationError as error:  # a setting of .env the sandbox uses too is wrong
        print(f"vykup: {describe_error(error)}", file=sys.stderr)
        return EXIT_CONFIG
    except OSError as error:
        print(f"vykup: cannot start the sandbox page on port {args.port}: {error}", file=sys.stderr)
        return 1
    # Stopped, and its temporary files are gone: the interpreter's own teardown of the hundreds
    # of modules loaded would keep the prompt waiting for seconds more on a busy machine.
    print("vykup: the sandbox has stopped", flush=True)
    logging.shutdown()
    sys.stderr.flush()
    os._exit(0)


async def serve(settings: Settings, role: Role = Role.all) -> None:
    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    from bot.app import Application
    from bot.templates import TemplateError
    from bot.web.telegram_webhook import WebhookRefused

    app = Application(settings, role=role)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await app.start()
    except TemplateError as error:
        print(f"vykup: TEMPLATES_FILE is invalid: {error}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    except WebhookRefused as error:
        print(f"vykup: WEBHOOK_URL was refused by Telegram: {error}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    except TelegramUnauthorizedError:
        print(
            "vykup: BOT_TOKEN was rejected by Telegram: check it with @BotFather", file=sys.stderr
        )
        raise SystemExit(EXIT_CONFIG) from None
    except TelegramNetworkError as error:
        print(
            f"vykup: cannot reach Telegram at {settings.telegram_api_url}: {error}", file=sys.stderr
        )
        raise SystemExit(1) from None
    except OSError as error:
        print(
            f"vykup: cannot start the shop API on {settings.api_host}:{settings.api_port}: {error}",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    try:
        await stop.wait()
    finally:
        logging.getLogger("vykup").info("stopping…")
        await app.stop()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "sandbox":
        return run_sandbox(args)
    settings = load_settings(Settings if args.command == "run" else StorageSettings)
    from bot.logs import setup_logging

    setup_logging(settings.log_level, settings.log_format)
    if args.command == "import":
        from bot.importer.cli import run_import

        return run_import(Path(args.path), settings)  # checks the file before migrating
    from storage.migrate import upgrade

    upgrade(settings.database_url)
    if args.command == "migrate":
        print("vykup: the database schema is up to date")
        return 0
    if args.command == "webhooks":
        from bot.webhook_commands import run_webhooks

        return run_webhooks(settings, redeliver=args.redeliver)
    assert isinstance(settings, Settings)
    asyncio.run(serve(settings, Role(args.role)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
