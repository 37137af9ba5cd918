"""``vykup`` (and ``python run_bot.py``): read the settings once, wire what the command needs, run."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.cli import invocation
from bot.cli.invocation import Invocation
from bot.cli.parser import parse_args
from bot.cli.settings import EXIT_CONFIG, load_settings
from bot.cluster.roles import Role
from bot.config import ConnectSettings, ErasureSettings, Settings, StorageSettings
from bot.i18n import CatalogError, Catalogs


def main(argv: list[str] | None = None, how: Invocation | None = None) -> int:
    how = how or invocation.console()
    args = parse_args(sys.argv[1:] if argv is None else argv, how.prog)
    if args.command == "sandbox":
        from bot.cli.sandbox import run_sandbox

        return run_sandbox(args, how.env_file)
    kind: type[StorageSettings] = (
        Settings
        if args.command == "run"
        else ErasureSettings
        if args.command == "forget"
        else ConnectSettings
        if args.command == "connect"
        else StorageSettings
    )
    settings = load_settings(kind, how.env_file, how.command)
    from bot.logs import setup_logging

    setup_logging(settings.log_level, settings.log_format)
    if isinstance(settings, Settings) and settings.sentry_dsn is not None:
        from bot.sentry import init_sentry

        init_sentry(settings.sentry_dsn.get_secret_value())
    if args.command == "import":
        from bot.importer.cli import run_import

        return run_import(Path(args.path), settings)  # checks the file before migrating
    catalogs = load_catalogs(settings) if isinstance(settings, Settings) else None
    from storage.migrate import upgrade

    upgrade(settings.database_url)
    if args.command == "migrate":
        print("vykup: the database schema is up to date")
        return 0
    if args.command == "webhooks":
        from bot.cli.webhooks import run_webhooks

        return run_webhooks(settings, redeliver=args.redeliver)
    if args.command == "connect":
        from bot.cli.connect import run_connect

        assert isinstance(settings, ConnectSettings)
        return run_connect(args, settings)
    if args.command == "forget":
        from bot.cli.forget import run_forget

        assert isinstance(settings, ErasureSettings)
        return run_forget(args.phone, settings)
    assert isinstance(settings, Settings)
    from bot.cli.serve import serve

    asyncio.run(serve(settings, Role(args.role), catalogs))
    return 0


def load_catalogs(settings: Settings) -> Catalogs:
    """Before migrating: a bot that would speak msgids does not touch the database."""
    try:
        return Catalogs(settings.tz)
    except CatalogError as error:
        print(f"vykup: the translations cannot be loaded: {error}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
