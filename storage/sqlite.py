"""aiosqlite with one trip to the connection's thread per statement, not four.

aiosqlite runs each call of a connection in that connection's own thread; SQLAlchemy's adapter
makes four such calls per statement (open a cursor, execute, fetch the rows, close the cursor)
and one for every COMMIT and ROLLBACK, even when there is no transaction to end. Each trip hands
the work to the thread and the answer back to the event loop: two thread switches, far dearer
than the statement itself (about a tenth of a millisecond each on a busy two-core machine, where
a point query takes a few microseconds). Here a statement is one trip: its cursor is opened,
used, emptied and closed in the thread, and the rows come back at once. A COMMIT or ROLLBACK
outside a transaction is skipped, as sqlite3 itself would do nothing for it.

Everything else is aiosqlite's own: the thread, the queue, the errors. Passed to SQLAlchemy as
``connect_args={"async_creator_fn": connect}`` (``storage.db.create_engine``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import aiosqlite

Description = tuple[tuple[Any, ...], ...] | None


def _run(
    connection: sqlite3.Connection, sql: str, parameters: Any, many: bool
) -> tuple[Description, list[Any], int, int | None]:
    """In the connection's thread: run one statement and take everything it gives back."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        elif parameters is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class Cursor:
    """The part of aiosqlite's cursor SQLAlchemy uses; the rows are fetched with the statement."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.description: Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _go(self, sql: str, parameters: Any, many: bool) -> Cursor:
        (
            self.description,
            self._rows,
            self.rowcount,
            self.lastrowid,
        ) = await self._connection.run_statement(sql, parameters, many)
        return self

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> Cursor:
        return await self._go(sql, parameters, many=False)

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> Cursor:
        return await self._go(sql, parameters, many=True)

    async def fetchone(self) -> Any | None:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        count = self.arraysize if size is None else size
        taken, self._rows = self._rows[:count], self._rows[count:]
        return taken

    async def fetchall(self) -> Sequence[Any]:
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        self._rows = []

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Any]:
        while self._rows:
            yield self._rows.pop(0)


class Connection(aiosqlite.Connection):
    async def run_statement(
        self, sql: str, parameters: Any, many: bool
    ) -> tuple[Description, list[Any], int, int | None]:
        outcome: tuple[Description, list[Any], int, int | None]
        outcome = await self._execute(_run, self._conn, sql, parameters, many)  # type: ignore[no-untyped-call]
        return outcome

    def cursor(self) -> Cursor:  # type: ignore[override]
        """No trip: the statement opens its own cursor in the thread. (SQLAlchemy enters it with
        ``async with``, as it does aiosqlite's.)"""
        return Cursor(self)

    async def commit(self) -> None:
        if not self._idle():
            await super().commit()

    async def rollback(self) -> None:
        if not self._idle():
            await super().rollback()

    def _idle(self) -> bool:
        """No transaction is open: COMMIT and ROLLBACK have nothing to do (and sqlite3 would do
        nothing). Read without a trip: no statement of this connection is running meanwhile."""
        connection = self._connection
        if connection is None:
            return False  # let aiosqlite say what it says about a closed connection
        try:
            return not connection.in_transaction
        except sqlite3.ProgrammingError:
            return False


def connect(database: str | bytes | Path, **kwargs: Any) -> Connection:
    """Like ``aiosqlite.connect``; the thread is a daemon, as SQLAlchemy makes aiosqlite's."""

    def connector() -> sqlite3.Connection:
        location = database.decode() if isinstance(database, bytes) else str(database)
        opened: sqlite3.Connection = sqlite3.connect(location, **kwargs)
        return opened

    connection = Connection(connector, iter_chunk_size=64)
    connection._thread.daemon = True
    return connection
