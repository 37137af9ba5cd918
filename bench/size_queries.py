"""The size benchmark's timings: the customer rating of a new order, and what the admin commands,
the timers, the delivery worker and ``/metrics`` ask the database — on a big and a small database,
one after the other, so the ratio shows whether a cost grows with the tables.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from bot.domain.periods import ReportPeriod
from bot.domain.targets import Target, TargetKind
from bot.services import admin, digest, risk, stats
from bot.services.carrier_sync import MAX_TRACKED
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from storage.models import Customer, Order
from storage.uow import Database

ADMIN_ID = 700_001
ADMIN = TelegramUser(id=ADMIN_ID, full_name="Адмін Магазину", language_code="uk")
FEW = (1, 5)  # a customer with a short history
MANY = (50, None)  # a customer who orders a lot


@dataclass
class Timings:
    """Seconds per call of one operation, on the small and on the big database."""

    name: str
    small: list[float] = field(default_factory=list)
    big: list[float] = field(default_factory=list)
    note: str = ""

    @staticmethod
    def median(values: list[float]) -> float | None:
        return statistics.median(values) if values else None

    @staticmethod
    def p99(values: list[float]) -> float | None:
        if not values:
            return None
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]

    @property
    def ratio(self) -> float | None:
        small, big = self.median(self.small), self.median(self.big)
        return big / small if small and big is not None else None


async def histories(db: Database) -> dict[int, int]:
    """Customer id → number of orders (one aggregate, for picking customers to rate)."""
    async with db.uow() as uow:
        query = select(Order.customer_id, func.count(Order.id)).group_by(Order.customer_id)
        return {int(customer): int(count) for customer, count in await uow.session.execute(query)}


def pick(
    counts: dict[int, int], bounds: tuple[int, int | None], k: int, rng: random.Random
) -> list[int]:
    """``k`` customers (with repeats if there are fewer) whose order count is within ``bounds``."""
    low, high = bounds
    fitting = sorted(c for c, n in counts.items() if n >= low and (high is None or n <= high))
    if not fitting:
        return []
    return [rng.choice(fitting) for _ in range(k)]


async def rate_once(db: Database, ctx: ServiceContext, customer_id: int) -> float:
    """The rating a new order of this customer gets (``screen_new_order``), timed alone."""
    async with db.uow() as uow:
        customer = await uow.customers.get(customer_id)
        assert customer is not None
        began = time.perf_counter()
        await risk.rate(uow, ctx, customer)
        return time.perf_counter() - began


@dataclass(frozen=True)
class Sample:
    """A customer to look at on a database: an id and the phone an admin would type."""

    customer_id: int
    phone: str


async def sample(db: Database, customer_id: int) -> Sample:
    async with db.uow() as uow:
        customer = await uow.session.get(Customer, customer_id)
        assert customer is not None
        return Sample(customer.id, customer.phone)


async def risk_checks(
    big: Database, small: Database, ctx: ServiceContext, checks: int, rng: random.Random
) -> tuple[list[Timings], dict[str, tuple[float | None, float | None]]]:
    """``checks`` ratings per kind of customer on each database, taken in turns; also the median
    number of orders of the customers rated (small, big) per kind."""
    big_counts, small_counts = await histories(big), await histories(small)
    kinds = [
        (f"{FEW[0]}–{FEW[1]} orders", pick(big_counts, FEW, checks, rng), pick(small_counts, FEW, checks, rng)),
        (f"{MANY[0]}+ orders", pick(big_counts, MANY, checks, rng), pick(small_counts, MANY, checks, rng)),
    ]  # fmt: skip
    results = [Timings(f"rating, customers with {name}") for name, _, _ in kinds]
    for index in range(checks):
        for timing, (_, on_big, on_small) in zip(results, kinds, strict=True):
            if on_big:
                timing.big.append(await rate_once(big, ctx, on_big[index]))
            if on_small:
                timing.small.append(await rate_once(small, ctx, on_small[index]))
    typical = {
        timing.name: (
            statistics.median(small_counts[c] for c in on_small) if on_small else None,
            statistics.median(big_counts[c] for c in on_big) if on_big else None,
        )
        for timing, (_, on_big, on_small) in zip(results, kinds, strict=True)
    }
    return results, typical


Operation = Callable[[Database, ServiceContext, Sample], Awaitable[object]]


async def _top_risky(db: Database, ctx: ServiceContext, _: Sample) -> object:
    async with db.uow() as uow:
        return await risk.top_risky(uow, ctx, stats.TOP_RISKY)


async def _stats(db: Database, ctx: ServiceContext, _: Sample) -> object:
    return await stats.stats_report(db, ctx, ADMIN, ReportPeriod.month)


async def _blacklisted(db: Database, ctx: ServiceContext, _: Sample) -> object:
    return await admin.blacklisted_page(db, ctx, ADMIN, 0)


async def _rating(db: Database, ctx: ServiceContext, one: Sample) -> object:
    return await admin.rating(db, ctx, ADMIN, Target(TargetKind.phone, one.phone, one.phone))


async def _find(db: Database, ctx: ServiceContext, _: Sample) -> object:
    return await admin.find(db, ctx, ADMIN, "Бондаренко")


async def _digest(db: Database, ctx: ServiceContext, _: Sample) -> object:
    async with db.uow() as uow:
        now = uow.clock.now()
        return await digest.collect(
            uow.stats, now=now, since=now - timedelta(days=1), zone=ctx.timezone
        )


async def _timers(db: Database, ctx: ServiceContext, _: Sample) -> object:
    async with db.uow() as uow:  # one round of the scheduler when nothing is due
        await uow.timers.due(uow.clock.now(), 200)
        return await uow.timers.next_due_at()


async def _metrics(db: Database, ctx: ServiceContext, _: Sample) -> object:
    async with db.uow() as uow:  # what GET /metrics reads
        depth = await uow.outbox.depth()
        return depth, await uow.timers.count_due(uow.clock.now())


async def _worker(db: Database, ctx: ServiceContext, _: Sample) -> object:
    async with db.uow() as uow:  # one round of the delivery worker when nothing waits
        return await uow.outbox.due_heads(now=uow.clock.now(), limit=64)


async def _trackable(db: Database, ctx: ServiceContext, _: Sample) -> object:
    async with db.uow() as uow:  # the Nova Poshta poller's list (when an API key is set)
        return await uow.shipments.trackable("nova_poshta", MAX_TRACKED)


async def _history(db: Database, ctx: ServiceContext, one: Sample) -> object:
    async with db.uow() as uow:  # the customer's category, read for every tracking notice
        return await uow.history.of_customer(one.customer_id)


OPERATIONS: list[tuple[str, Operation]] = [
    ("timers: one idle round (due, next due)", _timers),
    ("delivery worker: one idle round", _worker),
    ("GET /metrics: outbox depth, timers due", _metrics),
    ("customer category (each tracking notice)", _history),
    ("/rating <phone>", _rating),
    ("/find <name>", _find),
    ("/stats 30d (all of it)", _stats),
    ("/stats: top risky customers", _top_risky),
    ("/blacklisted (first page)", _blacklisted),
    ("daily digest: its figures", _digest),
    ("Nova Poshta poller: parcels to track", _trackable),
]


async def operations(
    big: Database,
    small: Database,
    ctx: ServiceContext,
    repeats: int,
    rng: random.Random,
    *,
    skip: tuple[str, ...] = (),
    slow_after: float = 60.0,
) -> list[Timings]:
    """Each operation ``repeats`` times on each database, in turns (fewer when one is slow)."""
    big_counts, small_counts = await histories(big), await histories(small)
    big_one = await sample(big, pick(big_counts, FEW, 1, rng)[0])
    small_one = await sample(small, pick(small_counts, FEW, 1, rng)[0])
    results = []
    for name, operation in OPERATIONS:
        if any(part in name for part in skip):
            continue
        timing = Timings(name)
        for _ in range(repeats):
            for values, db, one in ((timing.big, big, big_one), (timing.small, small, small_one)):
                began = time.perf_counter()
                await operation(db, ctx, one)
                values.append(time.perf_counter() - began)
            if sum(timing.big) > slow_after:
                timing.note = f"stopped after {len(timing.big)} runs: slow"
                break
        results.append(timing)
    return results
