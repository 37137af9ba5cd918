"""Fill a migrated database with a shop's past at scale (``bench/history.py`` draws it), fast:
SQLite through the standard library's ``executemany``, PostgreSQL through asyncpg's ``COPY``,
tens of thousands of orders per transaction, never the ORM row by row.

Run: ``.venv/bin/python -m bench.generate --db bench-data/size.db`` (SQLite) or
``.venv/bin/python -m bench.generate --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/bench``
(its ``public`` schema is dropped and migrated afresh), with ``--orders`` (default 1,000,000) and
``--customers`` (default 200,000). A database that already holds exactly that many orders and
customers is left as it is, so the size benchmark generates once and reuses the file.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import Column, Date, Numeric, text
from sqlalchemy.engine import make_url
from tqdm import tqdm

from bench.history import (
    COLUMNS,
    TABLES,
    Batch,
    History,
    PostgresEncoding,
    RawEncoding,
    plan,
)
from bench.host import wipe_postgres
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Base
from storage.types import UTCDateTime

ORDERS = 1_000_000
CUSTOMERS = 200_000
DAYS = 730
SEED = 20_261_206
BATCH = 20_000  # orders per transaction


@dataclass(frozen=True)
class Generated:
    seconds: float
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def check_columns() -> None:
    """The generated columns exist, and every required column without a default is generated."""
    for name, columns in COLUMNS.items():
        table = Base.metadata.tables[name]
        unknown = set(columns) - set(table.c.keys())
        missing = {
            column.name
            for column in table.c
            if not column.nullable
            and column.default is None
            and column.server_default is None
            and column.name not in columns
        }
        if unknown or missing:
            raise RuntimeError(f"{name}: unknown columns {unknown}, required but missing {missing}")


def sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def marker(orders: int, customers: int, seed: int, days: int) -> str:
    """The ``job_runs`` row that says the history is complete (the bot never reads it)."""
    return f"bench.generate {orders} {customers} {seed} {days}"


async def generated_before(url: str, name: str) -> bool:
    """True if a complete history with this marker is already there."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                text("SELECT count(*) FROM job_runs WHERE name = :name"), {"name": name}
            )
            return bool(found)
    except Exception:  # no tables yet, no file yet
        return False
    finally:
        await engine.dispose()


async def mark(url: str, name: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO job_runs (name, last_run_at) VALUES (:name, :at)"),
                {"name": name, "at": datetime.now(UTC).replace(tzinfo=None).isoformat(" ")}
                if is_sqlite(url)
                else {"name": name, "at": datetime.now(UTC)},
            )
    finally:
        await engine.dispose()


def ensure(
    url: str,
    orders: int = ORDERS,
    customers: int = CUSTOMERS,
    *,
    seed: int = SEED,
    days: int = DAYS,
    progress: bool = True,
) -> Generated | None:
    """Make ``url`` hold this history (generated) unless it already does (None).

    The benchmark's own orders (a few hundred per run) stay in a reused database.
    """
    name = marker(orders, customers, seed, days)
    if asyncio.run(generated_before(url, name)):
        upgrade(url)  # a newer migration (an index) applies to the reused data as well
        return None
    if is_sqlite(url):
        path = sqlite_path(url)
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
    else:
        asyncio.run(wipe_postgres(url))
    upgrade(url)
    generated = generate(url, orders, customers, seed=seed, days=days, progress=progress)
    asyncio.run(mark(url, name))
    return generated


def generate(
    url: str,
    orders: int,
    customers: int,
    *,
    seed: int = SEED,
    days: int = DAYS,
    now: int | None = None,
    progress: bool = True,
) -> Generated:
    """Write the history into a migrated, empty database."""
    check_columns()
    began = time.perf_counter()
    rng = random.Random(seed)
    moment = int(time.time()) if now is None else now
    drawn = plan(orders, customers, now=moment, days=days, rng=rng)
    if is_sqlite(url):
        history = History(drawn, RawEncoding(), rng)
        _write_sqlite(sqlite_path(url), _batches(history, progress), progress)
    else:
        history = History(drawn, PostgresEncoding(), rng)
        asyncio.run(_write_postgres(url, _batches(history, progress), history))
    return Generated(time.perf_counter() - began, dict(history.ids))


def _batches(history: History, progress: bool) -> Iterator[Batch]:
    yield history.customers()
    with tqdm(
        total=history.plan.orders, unit=" orders", disable=not progress, smoothing=0.1
    ) as bar:
        for count, rows in history.orders(BATCH):
            yield rows
            bar.update(count)


def sqlite_value(column: Column[Any]) -> str:
    """The SQL that stores a raw generated value the way SQLAlchemy's type binds it on SQLite:
    naive UTC text with microseconds, ISO dates, Numeric as a float."""
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return "strftime('%Y-%m-%d %H:%M:%f', ?, 'unixepoch') || '000'"
    if isinstance(kind, Date):
        return "date(?, 'unixepoch')"
    if isinstance(kind, Numeric):
        return "? / 100.0"
    return "?"


def _insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    values = ", ".join(sqlite_value(Base.metadata.tables[table].c[name]) for name in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"


def _write_sqlite(path: Path, batches: Iterator[Batch], progress: bool) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        # Nobody else uses the file while it is filled: no journal, no fsync, a big cache.
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-1000000")
        # Indexes are built once at the end (from sorted keys), not grown row by row.
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
        for name, _ in indexes:
            connection.execute(f"DROP INDEX {name}")
        for rows in batches:
            connection.execute("BEGIN")
            for table in TABLES:
                if rows[table]:
                    connection.executemany(_insert_sql(table), rows[table])
            connection.execute("COMMIT")
        for _, sql in tqdm(indexes, unit=" indexes", disable=not progress):
            connection.execute(sql)
        connection.execute("PRAGMA journal_mode=WAL")  # as the bot keeps it
    finally:
        connection.close()


CONSTRAINTS = """
    SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE n.nspname = 'public' AND c.contype IN ('f', 'u')
    ORDER BY c.contype DESC, c.conname
"""
INDEXES = """
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    WHERE i.schemaname = 'public' AND NOT EXISTS (
        SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u')
    )
"""


async def _write_postgres(url: str, batches: Iterator[Batch], history: History) -> None:
    connection = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await connection.execute("SET synchronous_commit = off")
        # Foreign keys, unique constraints and indexes are dropped for the load and made again
        # at the end, exactly as they were (each index built once from all the rows).
        constraints = await connection.fetch(CONSTRAINTS)  # foreign keys first
        indexes = await connection.fetch(INDEXES)
        for table, name, _, _ in constraints:
            await connection.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in indexes:
            await connection.execute(f"DROP INDEX {name}")
        for rows in batches:
            async with connection.transaction():
                for table in TABLES:
                    if rows[table]:
                        await connection.copy_records_to_table(
                            table, records=rows[table], columns=COLUMNS[table]
                        )
        await connection.execute("SET maintenance_work_mem = '512MB'")
        for _, sql in indexes:
            await connection.execute(sql)
        for table, name, definition, _ in reversed(constraints):  # unique ones first
            await connection.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        for table, last in history.ids.items():
            if "id" in COLUMNS[table] and last:
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {last})"
                )
        # Autovacuum would get to it soon; the benchmark should not depend on when.
        await connection.execute(f"VACUUM ANALYZE {', '.join(TABLES)}")
    finally:
        await connection.close()


def describe(generated: Generated) -> str:
    rows = ", ".join(f"{table} {count:,}" for table, count in generated.rows.items() if count)
    return (
        f"{generated.total:,} rows in {generated.seconds:.0f} s"
        f" ({generated.total / generated.seconds:,.0f} rows/s): {rows}"
    )


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="a SQLite file (created and migrated if needed)")
    where.add_argument("--postgres", help="a PostgreSQL URL whose public schema may be wiped")
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--days", type=int, default=DAYS, help=f"history length (default {DAYS})")
    args = parser.parse_args(argv)
    url = f"sqlite+aiosqlite:///{args.db.resolve()}" if args.db else args.postgres
    if args.db:
        args.db.parent.mkdir(parents=True, exist_ok=True)
    generated = ensure(url, args.orders, args.customers, days=args.days)
    if generated is None:
        out(f"{url}: already holds {args.orders:,} orders of {args.customers:,} customers")
    else:
        out(f"{url}: {describe(generated)}")


if __name__ == "__main__":
    main()
