"""Housekeeping: deleting two years of delivered messages and timers that ran, and what the bot
feels while it happens.

Run: ``.venv/bin/python -m bench.housekeeping`` (SQLite; PostgreSQL too when ``BENCH_POSTGRES_URL``
names a database that may be wiped), ``--orders`` (default 200,000) and ``--customers`` (40,000).

1. A fresh database gets two years of a shop's history (``bench/generate.py``: orders with their
   events, shipments, timers and the sent outbox rows the live bot leaves behind).
2. **Idle**: for ``--seconds`` a probe does what a state change does — queues a message and a
   timer for an order, one transaction — every 20 ms, and the latency of each is kept.
3. **Pruning**: the bot's own ``prune`` (``DELIVERY_HISTORY_KEEP``, 30 days) runs once, the probe
   going on beside it as before; the time, the rows deleted and the probe's latencies are kept.
4. The database's size before, after the prune (the space is free for reuse, not returned) and
   after ``VACUUM`` (SQLite) or ``VACUUM FULL`` of the two tables (PostgreSQL).

Reference and ratio: the probe's p50 and p99 while pruning against idle, side by side in one run.
Target: the bot hardly notices (every batch is its own short transaction), a p99 within a few
times idle, no probe write failing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text

from bench import generate
from bench.host import load, machine, wipe_postgres
from bot.clock import SystemClock
from bot.domain.retention import DEFAULT_KEEP
from bot.services.housekeeping import BATCH, REST, Pruned, prune
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Order, OutboxMessage, Timer
from storage.repositories.outbox import TELEGRAM
from storage.uow import Database

ORDERS, CUSTOMERS = 200_000, 40_000
PROBE_EVERY = 0.02
SECONDS = 10.0


@dataclass
class Figures:
    engine: str
    rows_before: dict[str, int] = field(default_factory=dict)
    rows_after: dict[str, int] = field(default_factory=dict)
    bytes_before: int = 0
    bytes_pruned: int = 0
    bytes_vacuumed: int = 0
    generated_seconds: float = 0.0
    prune_seconds: float = 0.0
    pruned: Pruned = field(default_factory=Pruned)
    idle: list[float] = field(default_factory=list)
    pruning: list[float] = field(default_factory=list)
    probe_failures: int = 0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Probe:
    """Queues a message and a timer for a random order every ``PROBE_EVERY`` s, timing each."""

    def __init__(self, db: Database, last_order: int, figures: Figures) -> None:
        self._db = db
        self._last_order = last_order
        self._figures = figures
        self._rng = random.Random(7)
        self._n = 0

    async def write(self) -> float:
        self._n += 1
        order_id = self._rng.randint(1, self._last_order)
        began = time.perf_counter()
        async with self._db.uow() as uow:
            now = uow.clock.now()
            uow.outbox.add(
                channel=TELEGRAM,
                method="sendMessage",
                payload={"chat_id": 1, "text": f"probe {self._n}"},
                now=now,
                chat_id=1,
                order_id=order_id,
            )
            await uow.timers.schedule(
                kind=f"bench_probe_{self._n % 50}", order_id=order_id, due_at=now, now=now
            )
            await uow.commit()
        return time.perf_counter() - began

    async def run(self, into: list[float], until: asyncio.Event | float) -> None:
        deadline = time.perf_counter() + until if isinstance(until, float) else None
        while True:
            if deadline is not None and time.perf_counter() >= deadline:
                return
            if isinstance(until, asyncio.Event) and until.is_set():
                return
            began = time.perf_counter()
            try:
                into.append(await self.write())
            except Exception:  # counted: the target is that none fails
                self._figures.probe_failures += 1
            await asyncio.sleep(max(0.0, PROBE_EVERY - (time.perf_counter() - began)))


async def counts(db: Database) -> dict[str, int]:
    async with db.read() as uow:
        messages = await uow.session.scalar(select(func.count(OutboxMessage.id)))
        timers = await uow.session.scalar(select(func.count(Timer.id)))
    return {"messages": int(messages or 0), "timers": int(timers or 0)}


async def measure(
    url: str,
    figures: Figures,
    seconds: float,
    size: Callable[[], Awaitable[int]],
    rest: float,
    batch: int,
) -> None:
    db = Database(create_engine(url), SystemClock())
    try:
        figures.rows_before = await counts(db)
        figures.bytes_before = await size()
        async with db.read() as uow:
            last_order = int(await uow.session.scalar(select(func.max(Order.id))) or 1)
        probe = Probe(db, last_order, figures)
        await probe.run(figures.idle, seconds)
        done = asyncio.Event()
        beside = asyncio.create_task(probe.run(figures.pruning, done))
        began = time.perf_counter()
        figures.pruned = await prune(
            db, keep=DEFAULT_KEEP, now=db.clock.now(), rest=rest, batch=batch
        )
        figures.prune_seconds = time.perf_counter() - began
        done.set()
        await beside
        figures.rows_after = await counts(db)
        figures.bytes_pruned = await size()
    finally:
        await db.dispose()


def run_sqlite(
    folder: Path, orders: int, customers: int, seconds: float, rest: float, batch: int
) -> Figures:
    figures = Figures(f"SQLite {sqlite3.sqlite_version}")
    path = folder / "housekeeping.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)
    figures.generated_seconds = generate.generate(url, orders, customers).seconds

    async def size() -> int:
        return path.stat().st_size

    asyncio.run(measure(url, figures, seconds, size, rest, batch))
    with sqlite3.connect(path) as connection:
        connection.execute("VACUUM")
    figures.bytes_vacuumed = path.stat().st_size
    return figures


async def _pg_size(url: str, full_vacuum: bool = False) -> int:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            if full_vacuum:
                await connection.execute(text("VACUUM FULL outbox, timers"))
            return int(await connection.scalar(text("SELECT pg_database_size(current_database())")))
    finally:
        await engine.dispose()


def run_postgres(
    url: str, orders: int, customers: int, seconds: float, rest: float, batch: int
) -> Figures:
    figures = Figures("PostgreSQL")
    asyncio.run(wipe_postgres(url))
    upgrade(url)
    figures.generated_seconds = generate.generate(url, orders, customers).seconds
    asyncio.run(measure(url, figures, seconds, lambda: _pg_size(url), rest, batch))
    figures.bytes_vacuumed = asyncio.run(_pg_size(url, full_vacuum=True))
    return figures


def mb(value: int) -> str:
    return f"{value / 1e6:,.0f} MB"


def report(f: Figures) -> None:
    print(f"\n== {f.engine} ==")
    print(f"generated in {f.generated_seconds:.0f} s")
    deleted = f.pruned.messages + f.pruned.timers
    print(
        f"pruned {f.pruned.messages:,} messages and {f.pruned.timers:,} timers in"
        f" {f.prune_seconds:.1f} s ({deleted / max(f.prune_seconds, 1e-9):,.0f} rows/s)"
    )
    for kind in ("messages", "timers"):
        print(f"  {kind}: {f.rows_before[kind]:,} rows before, {f.rows_after[kind]:,} after")
    print(
        f"database: {mb(f.bytes_before)} before, {mb(f.bytes_pruned)} after pruning,"
        f" {mb(f.bytes_vacuumed)} after vacuum"
    )
    print("probe write (a message and a timer queued)   idle      pruning   ratio")
    for name, share in (("p50", 0.5), ("p99", 0.99)):
        idle, busy = percentile(f.idle, share), percentile(f.pruning, share)
        print(f"  {name:<42} {idle * 1000:6.1f} ms {busy * 1000:7.1f} ms  {busy / idle:5.2f}")
    print(
        f"  writes: {len(f.idle)} idle, {len(f.pruning)} while pruning"
        f" (mean {statistics.mean(f.pruning) * 1000:.1f} ms), {f.probe_failures} failed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.housekeeping", description=__doc__)
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--seconds", type=float, default=SECONDS, help="of idle probing")
    parser.add_argument(
        "--rest", type=float, default=REST, help="pause after each batch, times the batch's time"
    )
    parser.add_argument("--batch", type=int, default=BATCH, help="rows read and deleted at once")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"before: {load()}")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="vykup-housekeeping-") as name:
            report(
                run_sqlite(
                    Path(name), args.orders, args.customers, args.seconds, args.rest, args.batch
                )
            )
        print(f"load: {load()}")
    postgres = os.environ.get("BENCH_POSTGRES_URL")
    if postgres:
        report(
            run_postgres(postgres, args.orders, args.customers, args.seconds, args.rest, args.batch)
        )
        print(f"after: {load()}")
    else:
        print("PostgreSQL: skipped (set BENCH_POSTGRES_URL to a database that may be wiped)")


if __name__ == "__main__":
    main()
