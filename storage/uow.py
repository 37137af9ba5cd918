"""The unit of work: one transaction, its repositories, and what to wake once it commits."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from types import TracebackType

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock
from storage.db import SQLITE_BUSY_SECONDS, create_reading_sessionmaker, create_sessionmaker
from storage.repositories.audit import AuditRepository
from storage.repositories.connections import ConnectionRepository
from storage.repositories.customers import CustomerRepository
from storage.repositories.history import HistoryRepository
from storage.repositories.imports import ImportRepository
from storage.repositories.incidents import IncidentRepository
from storage.repositories.jobs import JobRunRepository
from storage.repositories.orders import OrderRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.outreach import OutreachRepository
from storage.repositories.outreach_stats import OutreachStatsRepository
from storage.repositories.pickup_points import PickupPointRepository
from storage.repositories.preferences import PreferenceRepository
from storage.repositories.reports import ReportsRepository
from storage.repositories.returns import ReturnRepository
from storage.repositories.risk import RiskRepository
from storage.repositories.shipments import FeedbackRepository, ShipmentRepository
from storage.repositories.stalls import StallRepository
from storage.repositories.stats import StatsRepository
from storage.repositories.storage_extensions import StorageExtensionRepository
from storage.repositories.timers import TimerRepository
from storage.signals import ALL_WORK, WAKE_CHANNEL, take_queued
from storage.turns import WriterTurns


class UnitOfWork:
    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        on_commit: Callable[[frozenset[str]], None],
        notify: TextClause | None = None,
    ) -> None:
        self.session = session
        self.clock = clock
        self.customers = CustomerRepository(session)
        self.orders = OrderRepository(session)
        self.outbox = OutboxRepository(session)
        self.timers = TimerRepository(session)
        self.preferences = PreferenceRepository(session)
        self.shipments = ShipmentRepository(session)
        self.feedback = FeedbackRepository(session)
        self.jobs = JobRunRepository(session)
        self.stats = StatsRepository(session)
        self.reports = ReportsRepository(session)
        self.history = HistoryRepository(session)
        self.imports = ImportRepository(session)
        self.risk = RiskRepository(session)
        self.audit = AuditRepository(session)
        self.returns = ReturnRepository(session)
        self.incidents = IncidentRepository(session)
        self.connections = ConnectionRepository(session)
        self.outreach = OutreachRepository(session)
        self.outreach_stats = OutreachStatsRepository(session)
        self.stalls = StallRepository(session)
        self.pickup_points = PickupPointRepository(session)
        self.storage_extensions = StorageExtensionRepository(session)
        self._on_commit = on_commit
        self._notify = notify

    async def commit(self) -> None:
        queued = take_queued(self.session.info)
        if self._notify is not None and queued:
            # Delivered by PostgreSQL only if the transaction commits, together with its rows.
            await self.session.execute(self._notify)
        await self.session.commit()
        if queued:
            self._on_commit(queued)

    async def rollback(self) -> None:
        take_queued(self.session.info)  # what was queued is gone with the transaction
        await self.session.rollback()

    async def __aenter__(self) -> UnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Whatever was not committed is thrown away (closing rolls the transaction back);
        # loaded objects stay readable, detached, for the caller to render.
        await self.session.close()


class ReadingUnitOfWork(UnitOfWork):
    """The repositories over a session that only reads (``Database.read``)."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        super().__init__(session, clock, on_commit=_no_listener)

    async def commit(self) -> None:
        raise RuntimeError("a reading unit of work never commits; use Database.uow() to write")


def _no_listener(_queued: frozenset[str]) -> None:
    return None


class Database:
    """Opens units of work; ``on_commit`` listeners wake the delivery worker and the timers
    when a commit queued work for them."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self.sessionmaker: async_sessionmaker[AsyncSession] = create_sessionmaker(engine)
        self._reading: async_sessionmaker[AsyncSession] = create_reading_sessionmaker(engine)
        self._listeners: list[tuple[Callable[[], None], frozenset[str]]] = []
        # SQLite has one writer at a time and every transaction here takes the write lock; waiting
        # in line in-process is far cheaper than SQLite's sleeping busy handler. (A unit of work
        # must therefore never open another one inside itself.)
        self._turn = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        # ... and other processes on the same file take turns with this one (storage/turns.py).
        self._writers = WriterTurns.beside(engine.url, timeout=SQLITE_BUSY_SECONDS)
        # Readers need no turn behind the writer (WAL), but one at a time among themselves: a
        # burst of updates would otherwise take every pooled connection, each with its thread.
        self._read_turn = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        self._notify = (
            text(f"SELECT pg_notify('{WAKE_CHANNEL}', '')")
            if engine.dialect.name == "postgresql"
            else None
        )

    def on_commit(self, listener: Callable[[], None], *, work: Collection[str] = ALL_WORK) -> None:
        """Call ``listener`` after each commit that queued work of one of these kinds
        (``storage.signals``: outbox messages, timers). Commits that queued nothing wake nobody:
        whatever else they change, the loops either did it themselves or do not care."""
        self._listeners.append((listener, frozenset(work)))

    def _notify_listeners(self, queued: frozenset[str]) -> None:
        for listener, work in list(self._listeners):
            if work & queued:
                listener()

    @asynccontextmanager
    async def uow(self) -> AsyncIterator[UnitOfWork]:
        async with contextlib.AsyncExitStack() as stack:
            if self._turn is not None:
                await stack.enter_async_context(self._turn)
            if self._writers is not None:
                await stack.enter_async_context(self._writers.turn())
            uow = await stack.enter_async_context(
                UnitOfWork(self.sessionmaker(), self.clock, self._notify_listeners, self._notify)
            )
            yield uow

    @asynccontextmanager
    async def read(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work that only reads, for the hot paths (every update reads the person's
        conversation state and language): it does not wait its turn behind writers, and its
        statements run without a transaction around them, each seeing the latest commit — so
        read together in one statement what must agree. It may be opened inside a unit of
        work that writes, never inside another read; it cannot commit, and a write through it
        is refused."""
        async with contextlib.AsyncExitStack() as stack:
            if self._read_turn is not None:
                await stack.enter_async_context(self._read_turn)
            uow = await stack.enter_async_context(ReadingUnitOfWork(self._reading(), self.clock))
            yield uow

    async def dispose(self) -> None:
        await self.engine.dispose()
