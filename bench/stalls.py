"""The stalled parcels' check on a big shop: what one hourly round costs.

Run: ``.venv/bin/python -m bench.stalls`` (SQLite), ``--orders`` (default 200,000) and
``--customers`` (50,000).

1. A fresh database gets two years of a shop's history (``bench/generate.py``), up to now.
2. Each rule's candidate query (``storage/repositories/stalls.py``) runs 5 times; the median.
3. ``bot.services.stalls.check`` runs three times: the first finds and announces, the next ones
   are the steady state of every hour; then the first page of /stalled.

Reference and ratio: one full scan of the orders table (``count(*)`` over a column without an
index), side by side; the check's steady round should cost a small fraction of it, whatever the
size of the history, because every query starts from an index on a status.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

from bench import generate
from bench.host import load, machine
from bot.clock import ManualClock
from bot.i18n import Catalogs
from bot.services import stalls
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from storage.db import create_engine
from storage.migrate import upgrade
from storage.uow import Database

ORDERS = 200_000
CUSTOMERS = 50_000
ADMIN = TelegramUser(id=1, full_name="Bench")


async def timed(call: Callable[[], Awaitable[Any]], runs: int = 5) -> tuple[float, Any]:
    seconds, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = await call()
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds), result


async def measure(url: str) -> None:
    now = datetime.now(UTC)
    db = Database(create_engine(url), ManualClock(now))
    ctx = ServiceContext(
        catalogs=Catalogs(ZoneInfo("Europe/Kyiv")), manager_chat_id=-1, admin_ids=frozenset({1})
    )
    limits = ctx.stall_limits
    try:
        async with db.read() as uow:
            reference, _ = await timed(
                lambda: uow.session.scalar(text("SELECT count(*) FROM orders WHERE currency <> ''"))
            )
            queries = {
                "confirmed, no waybill": lambda: uow.stalls.confirmed_unshipped(
                    now - timedelta(days=2)
                ),
                "waybill never scanned": lambda: uow.stalls.unscanned(now - timedelta(days=2)),
                "in transit too long": lambda: uow.stalls.in_transit(now - timedelta(days=5)),
                "waiting, storage ending": lambda: uow.stalls.waiting_until(
                    limits.storage_ends_before(now.date()) or now.date()
                ),
            }
            for name, query in queries.items():
                seconds, rows = await timed(query)
                print(f"{name}: {seconds * 1000:.1f} ms, {len(rows)} candidates")
        print(f"reference, a full scan of the orders: {reference * 1000:.1f} ms")
        for label in ("first check", "second check", "third check"):
            seconds, result = await timed(lambda: stalls.check(db, ctx), runs=1)
            print(f"{label}: {seconds * 1000:.1f} ms, {result}")
        steady = seconds
        seconds, page = await timed(lambda: stalls.page(db, ctx, ADMIN, 0))
        print(f"/stalled, page 1: {seconds * 1000:.1f} ms, {page.total} stalled")
        print(f"ratio, a steady check to the full scan: {steady / reference:.2f}")
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.stalls", description=__doc__)
    parser.add_argument("--orders", type=int, default=ORDERS)
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    options = parser.parse_args()
    print(machine(), "·", load(), "· SQLite", sqlite3.sqlite_version)
    with tempfile.TemporaryDirectory(prefix="vykup-stalls-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'stalls.db'}"
        upgrade(url)
        made = generate.generate(url, options.orders, options.customers)
        print(f"generated {made.rows.get('orders', 0):,} orders in {made.seconds:.0f} s")
        asyncio.run(measure(url))


if __name__ == "__main__":
    main()
