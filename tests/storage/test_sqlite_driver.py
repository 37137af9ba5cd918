"""The SQLite driver: one trip to the connection's thread per statement, same results."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.clock import ManualClock
from storage import sqlite
from storage.db import create_engine
from storage.uow import Database


@pytest.fixture
async def sqlite_db(tmp_path: Path, clock: ManualClock):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    db = Database(engine, clock)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls handed to a connection's thread, by name."""
    made: list[str] = []
    original = sqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(sqlite.Connection, "_execute", counted)
    return made


async def test_rows_rowcount_and_lastrowid_come_back(sqlite_db: Database) -> None:
    async with sqlite_db.uow() as uow:
        inserted = await uow.session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        assert inserted.lastrowid == 1
        await uow.session.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
        )
        updated = await uow.session.execute(text("UPDATE t SET name = name || '!' WHERE id > 1"))
        assert updated.rowcount == 2
        await uow.commit()
    async with sqlite_db.read() as uow:
        rows = (await uow.session.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
        assert [tuple(row) for row in rows] == [(1, "a"), (2, "b!"), (3, "c!")]
        assert (await uow.session.execute(text("SELECT name FROM t WHERE id = 9"))).first() is None


async def test_a_statement_is_one_trip_and_idle_ends_are_none(
    sqlite_db: Database, trips: list[str]
) -> None:
    async with sqlite_db.read() as uow:
        await uow.session.execute(text("SELECT 1"))
    assert trips == ["_run"]  # no BEGIN, no cursor of its own, no ROLLBACK of nothing
    trips.clear()
    async with sqlite_db.uow() as uow:
        await uow.session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        await uow.commit()
    assert trips == ["_run", "_run", "commit"]  # BEGIN IMMEDIATE, the INSERT, COMMIT


async def test_a_rollback_undoes_and_errors_are_sqlalchemys(sqlite_db: Database) -> None:
    async with sqlite_db.uow() as uow:
        await uow.session.execute(text("INSERT INTO t (name) VALUES ('kept')"))
        await uow.commit()
    async with sqlite_db.uow() as uow:
        await uow.session.execute(text("INSERT INTO t (name) VALUES ('dropped')"))
        await uow.rollback()
    async with sqlite_db.uow() as uow:
        with pytest.raises(IntegrityError):
            await uow.session.execute(text("INSERT INTO t (name) VALUES ('kept')"))
    async with sqlite_db.read() as uow:
        names = (await uow.session.execute(text("SELECT name FROM t"))).scalars().all()
    assert names == ["kept"]


async def test_streamed_rows_arrive_in_order(sqlite_db: Database) -> None:
    async with sqlite_db.uow() as uow:
        await uow.session.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": f"n{i}"} for i in range(5)]
        )
        await uow.commit()
    async with sqlite_db.engine.connect() as connection:
        result = await connection.stream(text("SELECT name FROM t ORDER BY id"))
        assert [row[0] async for row in result] == [f"n{i}" for i in range(5)]
