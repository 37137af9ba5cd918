"""Size: the bot with 1,000,000 orders of 200,000 customers in its database — how much memory the
running bot takes, and how long the customer rating of a new order takes.

Run: ``.venv/bin/python -m bench.size`` (SQLite; add ``--db PATH`` to choose where the big file is
kept, ``--orders``, ``--customers``, ``--checks``). PostgreSQL too when ``BENCH_POSTGRES_URL`` names
a database that may be wiped, e.g. ``postgresql+asyncpg://postgres@127.0.0.1:5432/bench``.

1. **Generation** (``bench/generate.py``): two years of a shop's history — orders received,
   refused, returned, cancelled, and the recent ones still new, confirmed, shipped or waiting at
   the branch, with their events, shipments, timers, sent outbox messages, feedback, returns,
   flags, notes and blacklists. Done once: a database that already holds it is reused (the SQLite
   file stays in the temporary folder unless ``--db`` says where; PostgreSQL keeps its ``public``
   schema). Before each run the timers still ahead are moved a day on and messages left pending
   by an earlier run are set aside, so the bot starts idle, as it would on a quiet morning.
2. **Memory** (``bench/size_bot.py``): the whole bot, ``run_bot.py`` in its own process, against
   the Telegram stand-in, settles; its RSS is read; it takes 200 orders from the shop's API for
   customers of that database (each one rated), ``/metrics`` scrapes and the admin commands
   ``/rating``, ``/find``, ``/blacklisted``, ``/stats``; its RSS is read again, and its peak. The
   reference is the same bot on an empty database. Target: the big database costs no more memory
   than a few caches' worth (ratio close to 1) — nothing loads a table.
3. **Time** (``bench/size_queries.py``), in this process: the rating a new order gets, for
   ``--checks`` random customers with a short history (1–5 orders) and for customers who order a
   lot (50+), and what the timers, the delivery worker, ``/metrics`` and the admin commands ask
   the database; each on the big database and on a small one (1,000 orders of 200 customers),
   taken in turns. Target: the rating takes as long on the big database as on the small one
   (indexes, not scans: ratio close to 1); the background rounds too.

On PostgreSQL the empty and the small database live in the same database: meanwhile the big
``public`` schema waits renamed ``vykup_size_big`` (put back at the end, and at the next start if
a run was interrupted); the small one stays as ``vykup_size_small``. ``--no-bot`` leaves out the
memory part, ``--skip NAME`` an operation; ``--orders 20000 --customers 4000 --checks 100`` is a
quick check of the benchmark itself. Prints the machine and its load with the figures; record
them in ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, text, update

from bench import generate
from bench.host import load, machine
from bench.size_bot import BotFigures, Buyer, run_bot
from bench.size_queries import Timings, operations, risk_checks
from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import Catalogs
from bot.services.context import ServiceContext
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Customer, OutboxMessage, Timer
from storage.uow import Database

SMALL_ORDERS, SMALL_CUSTOMERS = 1_000, 200
BUYERS = 200  # new orders during the memory run
CHECKS = 1_000
REPEATS = 5
PG_ASIDE = "vykup_size_big"  # where the big PostgreSQL schema waits while the bot runs on another
PG_SMALL = "vykup_size_small"
SEED = 6


@dataclass(frozen=True)
class Run:
    orders: int
    customers: int
    checks: int
    repeats: int
    folder: Path  # the empty and the small SQLite databases
    logs: Path  # the bots' output, kept beside the big database
    bot: bool = True  # the memory part (the whole bot in a process of its own)
    skip: tuple[str, ...] = ()  # operations left out (their names contain one of these)


@dataclass
class EngineFigures:
    engine: str
    generated: generate.Generated | None = None
    empty: BotFigures | None = None
    big: BotFigures | None = None
    checks: list[Timings] = field(default_factory=list)
    typical_orders: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    operations: list[Timings] = field(default_factory=list)
    big_bytes: int = 0


def service_context() -> ServiceContext:
    """The context the bot builds from its default settings (thresholds, policies, time zone)."""
    settings = Settings(_env_file=None, bot_token="1:" + "x" * 30)  # type: ignore[call-arg]
    return ServiceContext(
        catalogs=Catalogs(settings.tz),
        timezone=settings.tz,
        manager_chat_id=-1,
        admin_ids=frozenset({700_001}),
        risk_thresholds=settings.risk_thresholds,
        risk_policies=settings.risk_policies,
    )


async def quiet_start(url: str) -> None:
    """The bot should start idle: timers ahead move a day on, leftovers of earlier runs go."""
    db = Database(create_engine(url), SystemClock())
    try:
        async with db.uow() as uow:
            tomorrow = uow.clock.now() + timedelta(days=1)
            await uow.session.execute(
                update(Timer)
                .where(Timer.done_at.is_(None), Timer.due_at < tomorrow)
                .values(due_at=tomorrow)
            )
            await uow.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.state == "pending")
                .values(state="failed", last_error="bench.size: left by an earlier run")
            )
            await uow.commit()
    finally:
        await db.dispose()


async def buyers(url: str, count: int, rng: random.Random) -> tuple[list[Buyer], str]:
    """Customers of the database to place new orders for, and a phone to ask /rating about."""
    db = Database(create_engine(url), SystemClock())
    try:
        async with db.uow() as uow:
            last = int(await uow.session.scalar(select(func.max(Customer.id))) or 0)
            ids = rng.sample(range(1, last + 1), min(count, last)) if last else []
            found = (await uow.session.scalars(select(Customer).where(Customer.id.in_(ids)))).all()
    finally:
        await db.dispose()
    chosen = [Buyer(c.phone, c.name, c.telegram_id) for c in found]
    fresh = [
        Buyer(f"+38063{n:07d}", "Новий Покупець", 6_000_000_000 + n)
        for n in range(count - len(chosen))
    ]
    everyone = chosen + fresh
    return everyone, everyone[0].phone


async def bot_on(label: str, url: str, logs: Path, rng: random.Random) -> BotFigures:
    await quiet_start(url)
    people, phone = await buyers(url, BUYERS, rng)
    return await run_bot(label, url, people, phone, logs)


async def timings(
    big_url: str, small_url: str, run: Run, *, small_schema: str | None = None
) -> tuple[list[Timings], dict[str, tuple[float | None, float | None]], list[Timings]]:
    ctx = service_context()
    rng = random.Random(SEED)
    connect = {"connect_args": {"server_settings": {"search_path": small_schema}}}
    big = Database(create_engine(big_url), SystemClock())
    small = Database(create_engine(small_url, **(connect if small_schema else {})), SystemClock())
    try:
        rated, typical = await risk_checks(big, small, ctx, run.checks, rng)
        others = await operations(big, small, ctx, run.repeats, rng, skip=run.skip)
    finally:
        await big.dispose()
        await small.dispose()
    return rated, typical, others


# -- SQLite -----------------------------------------------------------------------------------------
def run_sqlite(path: Path, run: Run) -> EngineFigures:
    figures = EngineFigures(f"SQLite {sqlite3.sqlite_version}")
    path.parent.mkdir(parents=True, exist_ok=True)
    big_url = f"sqlite+aiosqlite:///{path.resolve()}"
    print(f"SQLite: the big database is {path}")
    figures.generated = generate.ensure(big_url, run.orders, run.customers)
    figures.big_bytes = path.stat().st_size
    empty_url = f"sqlite+aiosqlite:///{run.folder}/empty.db"
    small_url = f"sqlite+aiosqlite:///{run.folder}/small.db"
    upgrade(empty_url)
    upgrade(small_url)
    generate.generate(small_url, SMALL_ORDERS, SMALL_CUSTOMERS, progress=False)
    rng = random.Random(SEED)
    if run.bot:
        print("SQLite: the bot on the empty database…")
        figures.empty = asyncio.run(bot_on("sqlite-empty", empty_url, run.logs, rng))
        print("SQLite: the bot on the big database…")
        figures.big = asyncio.run(bot_on("sqlite-big", big_url, run.logs, rng))
    print("SQLite: timing the rating and the queries…")
    figures.checks, figures.typical_orders, figures.operations = asyncio.run(
        timings(big_url, small_url, run)
    )
    return figures


# -- PostgreSQL -------------------------------------------------------------------------------------
async def _pg(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _pg_value(url: str, query: str) -> object:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.scalar(text(query))
    finally:
        await engine.dispose()


async def _pg_schemas(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT nspname FROM pg_namespace"))
            return {name for (name,) in rows}
    finally:
        await engine.dispose()


def pg_restore(url: str) -> None:
    """Put the big schema back where the bot looks (after a run that stopped half-way too)."""
    if PG_ASIDE in asyncio.run(_pg_schemas(url)):
        asyncio.run(
            _pg(url, "DROP SCHEMA IF EXISTS public CASCADE", f"ALTER SCHEMA {PG_ASIDE} RENAME TO public")
        )  # fmt: skip


@contextlib.contextmanager
def pg_fresh_public(url: str) -> Iterator[None]:
    """The big ``public`` schema waits aside; a freshly migrated, empty one takes its place."""
    asyncio.run(_pg(url, f"ALTER SCHEMA public RENAME TO {PG_ASIDE}", "CREATE SCHEMA public"))
    try:
        upgrade(url)
        yield
    finally:
        pg_restore(url)


def run_postgres(url: str, run: Run) -> EngineFigures:
    pg_restore(url)
    figures = EngineFigures(f"PostgreSQL {asyncio.run(_pg_value(url, 'SHOW server_version'))}")
    figures.generated = generate.ensure(url, run.orders, run.customers)
    figures.big_bytes = int(
        asyncio.run(_pg_value(url, "SELECT pg_database_size(current_database())"))
    )
    rng = random.Random(SEED)
    if run.bot:
        with pg_fresh_public(url):
            print("PostgreSQL: the bot on the empty database…")
            figures.empty = asyncio.run(bot_on("postgres-empty", url, run.logs, rng))
    with pg_fresh_public(url):
        generate.generate(url, SMALL_ORDERS, SMALL_CUSTOMERS, progress=False)
        asyncio.run(
            _pg(url, f"DROP SCHEMA IF EXISTS {PG_SMALL} CASCADE", f"ALTER SCHEMA public RENAME TO {PG_SMALL}", "CREATE SCHEMA public")
        )  # fmt: skip
    if run.bot:
        print("PostgreSQL: the bot on the big database…")
        figures.big = asyncio.run(bot_on("postgres-big", url, run.logs, rng))
    print("PostgreSQL: timing the rating and the queries…")
    figures.checks, figures.typical_orders, figures.operations = asyncio.run(
        timings(url, url, run, small_schema=PG_SMALL)
    )
    return figures


# -- report -----------------------------------------------------------------------------------------


def mb(value: int) -> str:
    return f"{value / 2**20:.0f} MB"


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value * 1000:.2f} ms"


def report(f: EngineFigures) -> None:
    print(f"\n== {f.engine} ==")
    if f.generated is not None:
        print(f"generated: {generate.describe(f.generated)}")
    else:
        print("generated: reused (already populated)")
    if f.big_bytes:
        print(f"big database on disk: {f.big_bytes / 2**30:.2f} GiB")
    if f.empty and f.big:
        print("memory of the running bot (RSS)      empty DB   big DB   ratio")
        for name, attr in (
            ("settled", "settled_rss"),
            ("after the work", "after_rss"),
            ("peak", "peak_rss"),
        ):
            empty, big = getattr(f.empty, attr), getattr(f.big, attr)
            print(f"  {name:<34} {mb(empty):>8} {mb(big):>8}   {big / empty:.2f}")
        print(
            f"  start until polling: {f.empty.started:.1f} s (empty), {f.big.started:.1f} s (big)"
        )
        print(
            f"  POST /api/v1/orders, median of {len(f.big.intake)}: {ms(f.empty.intake_median)}"
            f" (empty), {ms(f.big.intake_median)} (big)"
        )
        for command in f.big.commands:
            print(
                f"  {command} answered in {f.empty.commands[command]:.2f} s (empty),"
                f" {f.big.commands[command]:.2f} s (big)"
            )
    print(
        "time                                            small DB   big DB   ratio   (p99 small / big)"
    )
    for timing in [*f.checks, *f.operations]:
        ratio = "—" if timing.ratio is None else f"{timing.ratio:.2f}"
        print(
            f"  {timing.name:<44} {ms(Timings.median(timing.small)):>10} {ms(Timings.median(timing.big)):>10}"
            f" {ratio:>6}   ({ms(Timings.p99(timing.small))} / {ms(Timings.p99(timing.big))})"
            + (f" {timing.note}" if timing.note else "")
        )
    for name, (small, big) in f.typical_orders.items():
        print(f"  ({name}: the median history is {small} orders (small DB), {big} (big DB))")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.size", description=__doc__)
    parser.add_argument("--db", type=Path, help="where the big SQLite file is kept and reused")
    parser.add_argument("--orders", type=int, default=generate.ORDERS)
    parser.add_argument("--customers", type=int, default=generate.CUSTOMERS)
    parser.add_argument("--checks", type=int, default=CHECKS, help="ratings per kind of customer")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="runs of each other query")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--no-bot", action="store_true", help="only the timings, not the memory")
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out the operations named so (repeatable)"
    )
    args = parser.parse_args()
    path = (
        args.db
        or Path(tempfile.gettempdir()) / "vykup-bench" / f"size-{args.orders}-{args.customers}.db"
    )
    print(f"machine: {machine()}")
    print(f"before: {load()}")
    with tempfile.TemporaryDirectory(prefix="vykup-size-") as name:
        path.parent.mkdir(parents=True, exist_ok=True)
        run = Run(
            args.orders,
            args.customers,
            args.checks,
            args.repeats,
            Path(name),
            path.parent,
            bot=not args.no_bot,
            skip=tuple(args.skip),
        )
        if not args.no_sqlite:
            report(run_sqlite(path, run))
            print(f"load: {load()}")
        postgres = os.environ.get("BENCH_POSTGRES_URL")
        if postgres:
            report(run_postgres(postgres, run))
            print(f"after: {load()}")
        else:
            print("PostgreSQL: skipped (set BENCH_POSTGRES_URL to a database that may be wiped)")


if __name__ == "__main__":
    main()
