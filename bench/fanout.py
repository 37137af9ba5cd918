"""Fan-out at Telegram's limit: 3,000 "your parcel has arrived" notices to 3,000 customers, in
real time, through the Telegram stand-in with its real flood control (30 messages a second for
the bot, one a second per chat; more is answered with 429).

Run: ``.venv/bin/python -m bench.fanout [notices]``. SQLite (a temporary file) always; PostgreSQL
too when ``BENCH_POSTGRES_URL`` names a database that may be wiped, e.g.
``BENCH_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench``
(its schema is dropped and migrated afresh).

The scenario: 3,000 parcels arrived overnight, each for a different customer who opened the bot
long ago; quiet hours held every notice back (the events were recorded by the real service, so
the notices wait as timers). In the morning the bot starts: the whole application as in
production (``bot.app.Application``: polling, timers, the delivery worker, real clock, real
pacing) against the stand-in in the same process. The clock starts with the application and
stops when Telegram has accepted the last notice; the ideal is ``notices / 30`` seconds, as
Telegram lets nothing go faster. Printed: the machine and its load, the time against the ideal
(the ratio), how many sends Telegram refused with 429, and from what the stand-in actually
received per chat: customers who got nothing (lost) and notices beyond the first (duplicated).
Target: within 5 % of the ideal, 0 lost, 0 duplicated. Record the figures in
``bench/RESULTS.md``. The machine should be quiet: the pace is kept in real time, so a busy
event loop shows as time lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from bench.host import load, machine, wipe_postgres
from bot.app import Application
from bot.clock import SystemClock
from bot.config import Settings
from bot.domain.orders import EventSource
from bot.domain.quiet_hours import QuietHours
from bot.domain.shipments import ShipmentStatus
from bot.i18n import Catalogs
from bot.services.context import ServiceContext
from bot.services.shipments import ShipmentUpdate, record_shipment_event
from bot.standin import TelegramStandin
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Customer, Order, OrderItem, Shipment
from storage.uow import Database

NOTICES = 3000
QUIET_ALL_DAY = QuietHours(dt.time(0, 0), dt.time(23, 59))
PER_SECOND = 30  # Telegram's limit for one bot, which the stand-in enforces
TOKEN = "123456789:BENCH-token-abcdefghijklmnopqrstuvwxyz"
FIRST_USER = 100_000


@dataclass
class Figures:
    engine: str
    notices: int
    first: float  # seconds until Telegram accepted the first notice
    total: float  # seconds until Telegram accepted the last notice
    refused: int  # 429 answers
    lost: int  # customers who got no notice
    duplicated: int  # notices beyond one per customer
    pending: int  # outbox rows still pending at the end

    @property
    def ideal(self) -> float:
        return self.notices / PER_SECOND


async def seed(db: Database, telegram: TelegramStandin, notices: int) -> list[str]:
    """Customers who opened the bot long ago, each with a parcel on its way."""
    now = db.clock.now()
    waybills = []
    async with db.uow() as uow:
        for n in range(notices):
            user = telegram.add_user(FIRST_USER + n, f"Покупець {n}", language_code="uk")
            user.record.has_started = True
            order = Order(
                external_id=f"F-{n}",
                customer=Customer(
                    phone=f"+38050{n:07d}",
                    name=f"Покупець {n}",
                    telegram_id=user.id,
                    created_at=now,
                    updated_at=now,
                ),
                status="shipped",
                total=Decimal("450.00"),
                currency="UAH",
                payment="cod",
                carrier="nova_poshta",
                city="Київ",
                point="Відділення №1",
                link_token=f"bench-token-{n}",
                created_at=now,
                updated_at=now,
                items=[OrderItem(position=0, name="Товар", quantity=1, price=Decimal("450.00"))],
            )
            waybill = f"2045{n:010d}"
            uow.session.add(
                Shipment(
                    order=order,
                    carrier="nova_poshta",
                    tracking_number=waybill,
                    status="in_transit",
                    created_at=now,
                    updated_at=now,
                )
            )
            waybills.append(waybill)
        await uow.commit()
    return waybills


class Arrivals:
    """When Telegram accepted each notice: watches the stand-in's log as it grows."""

    def __init__(self, telegram: TelegramStandin) -> None:
        self._telegram = telegram
        self._read = 0
        self.times: list[float] = []

    def _count(self) -> int:
        calls = self._telegram.calls
        now = time.perf_counter()
        for call in calls[self._read :]:
            if call.method == "sendMessage" and call.ok:
                self.times.append(now)
        self._read = len(calls)
        return len(self.times)

    async def until(self, count: int, deadline: float) -> None:
        """Note arrivals as they come until ``count`` arrived (or the deadline passed)."""
        pulse = self._telegram.world.pulse
        while self._count() < count and time.perf_counter() < deadline:
            await pulse.wait(deadline - time.perf_counter())


async def queue_overnight(database_url: str, telegram: TelegramStandin, notices: int) -> None:
    """The parcels arrive during quiet hours: every "arrived" notice waits for the morning."""
    db = Database(create_engine(database_url), SystemClock())
    ctx = ServiceContext(catalogs=Catalogs(ZoneInfo("Europe/Kyiv")), quiet_hours=QUIET_ALL_DAY)
    try:
        waybills = await seed(db, telegram, notices)
        arrived = ShipmentUpdate(
            status=ShipmentStatus.arrived, point="Відділення №1", source=EventSource.system
        )
        for number in waybills:
            await record_shipment_event(db, ctx, number, arrived)
    finally:
        await db.dispose()


async def run(database_url: str, engine: str, notices: int) -> Figures:
    telegram = TelegramStandin(TOKEN, bot_username="vykup_bench_bot")  # real time, real limits
    await queue_overnight(database_url, telegram, notices)
    async with telegram.serve() as telegram_url:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=TOKEN,
            telegram_api_url=telegram_url,
            database_url=database_url,
            api_port=0,
            quiet_hours="00:00-00:00",  # morning: quiet hours are over, every notice is due
            digest_at=None,
        )
        app = Application(settings, clock=SystemClock())
        arrivals = Arrivals(telegram)
        began = time.perf_counter()
        watching = asyncio.create_task(
            arrivals.until(notices, deadline=began + 3 * notices / PER_SECOND + 120)
        )
        await app.start()
        try:
            await watching
            await app.worker.drain(timeout=30)  # the last "sent" marks commit after Telegram
            async with app.db.uow() as uow:
                pending, _ = await uow.outbox.depth()
        finally:
            await app.stop()
    counts = [telegram.sent_count(FIRST_USER + n) for n in range(notices)]
    times = arrivals.times or [began]
    return Figures(
        engine=engine,
        notices=notices,
        first=times[0] - began,
        total=times[-1] - began,
        refused=telegram.count_429,
        lost=sum(1 for count in counts if count == 0),
        duplicated=sum(count - 1 for count in counts if count > 1),
        pending=pending,
    )


def report(figures: Figures) -> None:
    f = figures
    print(
        f"{f.engine}: {f.notices} notices in {f.total:.1f} s against the ideal {f.ideal:.1f} s"
        f" — ratio {f.total / f.ideal:.3f} ({(f.total / f.ideal - 1) * 100:+.1f} %)"
    )
    print(
        f"  first notice after {f.first:.2f} s (the start included);"
        f" 429s: {f.refused}; lost: {f.lost}; duplicated: {f.duplicated};"
        f" still pending: {f.pending}"
    )


def main() -> None:
    notices = int(sys.argv[1]) if len(sys.argv) > 1 else NOTICES
    print(f"machine: {machine()}")
    print(f"before: {load()}")
    results = []
    with tempfile.TemporaryDirectory(prefix="vykup-bench-") as folder:
        sqlite_url = f"sqlite+aiosqlite:///{folder}/bench.db"
        upgrade(sqlite_url)
        results.append(asyncio.run(run(sqlite_url, "SQLite", notices)))
        report(results[-1])
    postgres_url = os.environ.get("BENCH_POSTGRES_URL")
    if postgres_url:
        asyncio.run(wipe_postgres(postgres_url))
        upgrade(postgres_url)
        results.append(asyncio.run(run(postgres_url, "PostgreSQL", notices)))
        report(results[-1])
    else:
        print("PostgreSQL: skipped (set BENCH_POSTGRES_URL to a database that may be wiped)")
    print(f"after: {load()}")
    met = all(
        f.total <= 1.05 * f.ideal and f.lost == 0 and f.duplicated == 0 and f.pending == 0
        for f in results
    )
    print("target (within 5 % of ideal, 0 lost, 0 duplicated):", "met" if met else "MISSED")


if __name__ == "__main__":
    main()
