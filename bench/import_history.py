"""How fast ``run_bot.py import`` stores past orders: 100,000 orders of about 20,000 customers
into a fresh SQLite database. Run: ``.venv/bin/python -m bench.import_history [rows]``.

Prints rows/s with the machine it ran on, and the ratio to a reference measured in the same run:
the same CSV copied as-is into one bare SQLite table with the standard library (no checks, no
customers, no history) — the floor any import of this file stands on. Record the figures in
``bench/RESULTS.md``.
"""

from __future__ import annotations

import asyncio
import csv
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.host import machine
from bot.clock import SystemClock
from bot.importer.pipeline import ImportReport, import_orders
from bot.importer.rows import COLUMNS
from bot.importer.sources import open_source
from storage.db import create_engine
from storage.migrate import upgrade
from storage.uow import Database

ROWS = 100_000
ORDERS_PER_CUSTOMER = 5
SEED = 20_251_123
KYIV = ZoneInfo("Europe/Kyiv")
FIRST_NAMES = ["Олена", "Андрій", "Марія", "Іван", "Оксана", "Петро", "Наталія", "Юрій", "Ірина"]
LAST_NAMES = ["Коваль", "Шевченко", "Бондаренко", "Мельник", "Ткаченко", "Кравченко", "Бойко"]
CITIES = ["Київ", "Львів", "Одеса", "Дніпро", "Харків", "Вінниця", "Полтава", "Черкаси"]
PREFIXES = ["50", "66", "67", "68", "63", "73", "93", "95", "97", "98", "99"]
REASONS = ["mind", "price", "differs", "wrong", "slow", "notmine", "other", ""]


def generate(path: Path, rows: int, rng: random.Random) -> None:
    """``rows`` past orders, about ``rows / 5`` customers, outcomes in realistic shares."""
    customers = max(1, rows // ORDERS_PER_CUSTOMER)
    phones = rng.sample(range(10_000_000), customers)
    people = [
        (
            f"+380{rng.choice(PREFIXES)}{phone:07d}",
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            rng.choice(CITIES),
        )
        for phone in phones
    ]
    start = datetime.now(UTC) - timedelta(days=400)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for number in range(rows):
            phone, name, city = rng.choice(people)
            created = (start + timedelta(minutes=rng.randrange(380 * 24 * 60))).astimezone(KYIV)
            finished = created + timedelta(hours=rng.randrange(1, 240))
            confirmed = created + timedelta(minutes=rng.randrange(1, 60))
            status = rng.choices(["received", "refused", "returned", "cancelled"], [75, 12, 5, 8])[
                0
            ]
            reason = rng.choice(REASONS) if status in ("refused", "returned") else ""
            comment = "Не відповідає опису" if reason == "other" else ""
            if status == "cancelled":
                comment = rng.choice(["", "Передумала", "Оформив двічі"])
            writer.writerow(
                [
                    f"B-{number:06d}",
                    phone,
                    name,
                    status,
                    created.replace(tzinfo=None).isoformat(timespec="minutes"),
                    finished.replace(tzinfo=None).isoformat(timespec="minutes"),
                    confirmed.replace(tzinfo=None).isoformat(timespec="minutes")
                    if status != "cancelled" or rng.random() < 0.4
                    else "",
                    f"{rng.randrange(150, 9000)}.{rng.choice(['00', '50', '99'])}",
                    "UAH",
                    rng.choice(["cod", "cod", "cod", "prepaid"]),
                    rng.choice(["nova_poshta", "nova_poshta", "ukrposhta", "meest"]),
                    city,
                    reason,
                    comment,
                ]
            )


async def run(database_url: str, csv_path: Path) -> tuple[ImportReport, float]:
    db = Database(create_engine(database_url), SystemClock())
    try:
        began = time.perf_counter()
        source = open_source(csv_path)
        report = await import_orders(db, source, tz=KYIV)
        return report, time.perf_counter() - began
    finally:
        await db.dispose()


def bare_copy(csv_path: Path, db_path: Path) -> float:
    """The reference: every row of the file into one table, one transaction, nothing checked."""
    began = time.perf_counter()
    connection = sqlite3.connect(db_path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        placeholders = ", ".join("?" * len(COLUMNS))
        connection.execute(f"CREATE TABLE copied ({', '.join(COLUMNS)})")
        with csv_path.open(encoding="utf-8", newline="") as file:
            rows = csv.reader(file)
            next(rows)
            with connection:
                connection.executemany(f"INSERT INTO copied VALUES ({placeholders})", rows)
    finally:
        connection.close()
    return time.perf_counter() - began


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    with tempfile.TemporaryDirectory(prefix="vykup-bench-") as folder:
        csv_path = Path(folder) / "orders.csv"
        generate(csv_path, rows, random.Random(SEED))
        database_url = f"sqlite+aiosqlite:///{folder}/bench.db"
        upgrade(database_url)
        report, seconds = asyncio.run(run(database_url, csv_path))
        _, again = asyncio.run(run(database_url, csv_path))
        reference = bare_copy(csv_path, Path(folder) / "bare.db")
    print(f"machine: {machine()}")
    print(f"file: {rows} rows; {report.summary()}")
    print(f"import: {seconds:.1f} s, {report.imported / seconds:,.0f} rows/s")
    print(f"second run (everything already present): {again:.1f} s")
    print(f"reference, the file copied bare into one table: {reference:.2f} s")
    print(f"ratio import / bare copy: {seconds / reference:.0f}×")


if __name__ == "__main__":
    main()
