"""Engines and sessions: SQLite (WAL, busy timeout) by default, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from storage import sqlite

# Execution option of the engine that only reads (``create_reading_sessionmaker``).
READ_ONLY = "vykup_read_only"

SQLITE_BUSY_SECONDS = 30  # how long a writer waits for another one before "database is locked"


def ensure_sqlite_folder(url: str) -> None:
    """``sqlite+aiosqlite:///./data/vykup.db`` → create ``./data`` if needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    ensure_sqlite_folder(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_async_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_SECONDS, "async_creator_fn": sqlite.connect},
            **kwargs,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's own lower() knows only ASCII: "ОЛЕНА" would never find "Олена". Python's does.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    # Transactions are begun by us (below), not by the driver's implicit BEGIN.
    dbapi_connection.isolation_level = None


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _begin_immediate(connection: Any) -> None:
    """Take the write lock at BEGIN. A deferred transaction that reads and then writes fails at
    once with "database is locked" when another writer committed in between (WAL snapshots);
    an immediate one waits its turn within the busy timeout instead.

    A reading session begins nothing: each of its statements is a transaction of its own (WAL
    readers neither wait for the writer nor hold it up)."""
    if not connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


class ReadingSession(Session):
    """A session that only reads: writing anything through it is a bug, refused at the flush."""


@event.listens_for(ReadingSession, "before_flush")
def _refuse_writes(session: Session, _context: Any, _instances: Any) -> None:
    raise RuntimeError("a reading unit of work never writes; use Database.uow() to write")


def create_reading_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for reading only, without a transaction around their statements: no BEGIN and
    ROLLBACK round trips (autocommit on PostgreSQL), no write lock on SQLite. Each statement
    sees the latest commit; what must be consistent is read in one statement."""
    if engine.dialect.name == "sqlite":
        reader = engine.execution_options(**{READ_ONLY: True})
    else:
        reader = engine.execution_options(**{READ_ONLY: True}, isolation_level="AUTOCOMMIT")
    return async_sessionmaker(
        reader, expire_on_commit=False, autoflush=False, sync_session_class=ReadingSession
    )
