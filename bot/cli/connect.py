"""``vykup connect PLATFORM …`` / ``--list`` / ``--remove NAME``: connect the shop's platform or CRM.

Output is for the person at the terminal; secrets are never printed (only their last characters).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import TextIO
from urllib.parse import urlsplit

import aiohttp

from bot.clock import SystemClock
from bot.config import ConnectSettings
from bot.connectors.base import Adapter, ConnectFailed, Platform, PlatformRejected
from bot.connectors.registry import all_adapters
from bot.domain.platform_events import PLATFORM_EVENTS
from bot.services.connections.setup import (
    ConnectReport,
    ConnectRequest,
    connect,
    forget_connection,
    list_connections,
    stored_connection,
)
from storage.db import create_engine
from storage.uow import Database

EXIT_FAILED = 1
EXIT_USAGE = 2
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
TIMEOUT = aiohttp.ClientTimeout(total=30)


def credential_option(name: str) -> str:
    """``client_secret`` → ``--client-secret``."""
    return "--" + name.replace("_", "-")


def run_connect(
    args: argparse.Namespace,
    settings: ConnectSettings,
    *,
    adapters: Mapping[Platform, Adapter] | None = None,
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    adapters = adapters or all_adapters()
    parser: argparse.ArgumentParser = args.parser
    if args.list:
        return asyncio.run(_list(settings, out))
    if args.remove:
        return asyncio.run(_remove(settings, adapters, args.remove, out))
    if args.platform is None:
        parser.error("name the platform (woocommerce, shopify, keycrm), or use --list / --remove")
    platform = Platform(args.platform)
    adapter = adapters[platform]
    request = _request(parser, args, adapter)
    if settings.public_url is None:
        print(
            "vykup: PUBLIC_URL is not set: the platform must know the bot's public address "
            "to deliver orders to (like https://bot.example.com); set it in .env",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return asyncio.run(_connect(settings, adapter, request, settings.public_url, out))


def _request(
    parser: argparse.ArgumentParser, args: argparse.Namespace, adapter: Adapter
) -> ConnectRequest:
    name = args.name or adapter.platform.value
    if not NAME.match(name):
        parser.error("--name: lowercase letters, digits, '-' and '_', at most 64")
    credentials: dict[str, str] = {}
    for credential in adapter.credential_names:
        value = getattr(args, credential, None)
        if not value or not value.strip():
            parser.error(f"{adapter.platform.value} needs {credential_option(credential)}")
        credentials[credential] = value.strip()
    for other in {n for n in vars(args) if n in _all_credential_names()} - set(
        adapter.credential_names
    ):
        if getattr(args, other, None):
            parser.error(f"{adapter.platform.value} takes no {credential_option(other)}")
    url = args.url or adapter.default_api_url
    if not url:
        parser.error(f"{adapter.platform.value} needs --url: the shop's address")
    return ConnectRequest(
        name=name,
        platform=adapter.platform,
        api_url=_api_url(parser, url),
        credentials=credentials,
        mapping=_mapping(parser, args.map or []),
        options=_options(parser, args.option or [], cancel_orders=args.cancel_orders),
    )


def _all_credential_names() -> set[str]:
    return {name for adapter in all_adapters().values() for name in adapter.credential_names}


def _api_url(parser: argparse.ArgumentParser, url: str) -> str:
    url = url.strip()
    if "://" not in url:  # "myshop.myshopify.com"
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        parser.error(f"--url: not an address: {url}")
    return url.rstrip("/")


def _mapping(parser: argparse.ArgumentParser, pairs: list[str]) -> dict[str, str]:
    known = sorted(str(event) for event in PLATFORM_EVENTS)
    mapping: dict[str, str] = {}
    for pair in pairs:
        event, sep, value = pair.partition("=")
        if not sep or event.strip() not in known:
            parser.error(f"--map {pair}: write EVENT=VALUE, EVENT one of: {', '.join(known)}")
        mapping[event.strip()] = value.strip()
    return mapping


OPTION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _options(
    parser: argparse.ArgumentParser, pairs: list[str], *, cancel_orders: bool
) -> dict[str, str]:
    options: dict[str, str] = {"cancel_orders": "1"} if cancel_orders else {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not OPTION_NAME.match(name.strip()):
            parser.error(f"--option {pair}: write NAME=VALUE, NAME in lowercase_with_underscores")
        options[name.strip()] = value.strip()
    return options


async def _connect(
    settings: ConnectSettings,
    adapter: Adapter,
    request: ConnectRequest,
    public_url: str,
    out: TextIO,
) -> int:
    db = Database(create_engine(settings.database_url), SystemClock())
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
            report = await connect(db, http, adapter, request, public_url)
    except (ConnectFailed, PlatformRejected) as error:
        print(f"vykup: connect {request.platform.value}: {error}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        await db.dispose()
    _print_report(report, request, out)
    return 0


def _print_report(report: ConnectReport, request: ConnectRequest, out: TextIO) -> None:
    verb = "connected" if report.created else "updated"
    print(f"vykup: {verb} «{report.name}»: {report.shop} ({request.api_url})", file=out)
    for secret_name, value in request.credentials.items():
        print(f"  {secret_name}: …{value[-4:]}", file=out)
    print(f"  webhooks go to {report.webhook_url}", file=out)
    for line in report.registration.done:
        print(f"  - {line}", file=out)
    if report.resumed:
        print(f"  {report.resumed} waiting updates go out now", file=out)
    print("  what the shop sees when Vykup hears:", file=out)
    for event, value in sorted(report.mapping.items()):
        print(f"    {event:34} {value or '(a note only)'}", file=out)
    if report.registration.instructions:
        print("\nNow, by hand:", file=out)
        for step in report.registration.instructions:  # numbered by the adapter
            print(f"  {step}", file=out)


async def _list(settings: ConnectSettings, out: TextIO) -> int:
    db = Database(create_engine(settings.database_url), SystemClock())
    try:
        summaries = await list_connections(db)
    finally:
        await db.dispose()
    if not summaries:
        print("vykup: no connections yet; connect one: vykup connect woocommerce --help", file=out)
        return 0
    for item in summaries:
        state = item.state if item.problem is None else f"{item.state}: {item.problem}"
        skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(item.skipped.items()))
        print(f"{item.name} ({item.platform}) {item.api_url} — {state}", file=out)
        print(
            f"  last delivery from it: {_when(item.last_received_at)}; "
            f"last update to it: {_when(item.last_sent_at)}",
            file=out,
        )
        print(
            f"  orders taken in: {item.taken_in}"
            + (f"; not taken in: {skipped}" if skipped else "")
            + f"; updates waiting: {item.waiting_calls}",
            file=out,
        )
    return 0


def _when(moment: datetime | None) -> str:
    return "never" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


async def _remove(
    settings: ConnectSettings, adapters: Mapping[Platform, Adapter], name: str, out: TextIO
) -> int:
    db = Database(create_engine(settings.database_url), SystemClock())
    try:
        info = await stored_connection(db, name, settings.public_url)
        if info is None:
            print(
                f"vykup: no connection named «{name}» (see vykup connect --list)", file=sys.stderr
            )
            return EXIT_FAILED
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
                done = await adapters[info.platform].unregister(http, info)
        except (ConnectFailed, PlatformRejected, aiohttp.ClientError, TimeoutError) as error:
            done = [
                f"could not remove the webhooks on {info.platform.value} ({error}): "
                "delete those pointing at this bot in its admin"
            ]
        await forget_connection(db, name)
    finally:
        await db.dispose()
    print(f"vykup: removed «{name}»; its orders stay in Vykup", file=out)
    for line in done:
        print(f"  - {line}", file=out)
    return 0
