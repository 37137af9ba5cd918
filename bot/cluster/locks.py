"""Locks that say which process leads: a PostgreSQL advisory lock, or a file lock beside SQLite.

Both are held by something the operating system or the database server releases the moment the
holder dies (a connection, an open file), so a ``kill -9`` frees the lock at once and nothing has
to expire. A lock is used by one election at a time; it is not safe for concurrent callers.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import asyncpg
from sqlalchemy.engine import make_url

from bot.cluster.timing import ElectionTiming
from storage.signals import WAKE_CHANNEL

log = logging.getLogger(__name__)

# pg_try_advisory_lock(int4, int4): the first key marks the lock as Vykup's ("VYKP").
APP_KEY = 0x56594B50


class LeaderLock(Protocol):
    async def try_acquire(self) -> bool:
        """Take the lock if it is free; False if another process holds it (or it cannot be asked)."""
        ...

    async def held(self) -> bool:
        """Still ours? False once the connection or file behind it is gone."""
        ...

    async def release(self) -> None:
        """Give the lock up (safe to call when not held)."""
        ...


def lock_key(name: str) -> int:
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def asyncpg_dsn(database_url: str) -> str:
    """``postgresql+asyncpg://u:p@h/db`` → ``postgresql://u:p@h/db`` for a bare asyncpg connection."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresAdvisoryLock:
    """A session-level advisory lock on a connection of its own.

    The server releases the lock when the session ends: when the holder exits or is killed, and —
    thanks to TCP keepalives set on this session — within about ``dead_peer_after`` seconds when
    the holder's machine vanishes without closing the connection. The same connection listens on
    ``WAKE_CHANNEL`` so that commits in other processes wake the leader (``on_wake``).
    """

    def __init__(
        self,
        database_url: str,
        name: str,
        *,
        dead_peer_after: float,
        query_timeout: float,
        on_lost: Callable[[], None] | None = None,
        on_wake: Callable[[], None] | None = None,
        on_reachable: Callable[[bool], None] | None = None,
    ) -> None:
        self.name = name
        self._dsn = asyncpg_dsn(database_url)
        self._key = lock_key(name)
        self._dead_peer_after = dead_peer_after
        self._timeout = query_timeout
        self._on_lost = on_lost
        self._on_wake = on_wake
        self._on_reachable = on_reachable
        self._connection: asyncpg.Connection | None = None
        self._holding = False
        self._complained = False

    async def try_acquire(self) -> bool:
        try:
            connection = await self._connect()
            got = bool(
                await connection.fetchval(
                    "SELECT pg_try_advisory_lock($1, $2)", APP_KEY, self._key, timeout=self._timeout
                )
            )
            if got and self._on_wake is not None:
                await connection.add_listener(WAKE_CHANNEL, self._notified)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            if not self._complained:
                log.warning("leader lock %s: the database cannot be asked: %s", self.name, error)
                self._complained = True
            await self._drop()
            self._reachable(False)
            return False
        self._complained = False
        self._holding = got
        self._reachable(True)
        return got

    async def held(self) -> bool:
        connection = self._connection
        if not self._holding or connection is None or connection.is_closed():
            return False
        try:
            await connection.fetchval("SELECT 1", timeout=self._timeout)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            return False
        return True

    async def release(self) -> None:
        self._holding = False
        await self._drop()  # ending the session releases the lock, whatever state it is in

    async def _connect(self) -> asyncpg.Connection:
        if self._connection is not None and not self._connection.is_closed():
            return self._connection
        idle = max(1, round(self._dead_peer_after / 2))
        interval = max(1, round(self._dead_peer_after / 4))
        connection = await asyncpg.connect(
            self._dsn,
            timeout=self._timeout,
            server_settings={
                "application_name": f"vykup-lock-{self.name}",
                "tcp_keepalives_idle": str(idle),
                "tcp_keepalives_interval": str(interval),
                "tcp_keepalives_count": "2",
            },
        )
        connection.add_termination_listener(self._terminated)
        self._connection = connection
        return connection

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await asyncio.wait_for(connection.close(), timeout=self._timeout)
        except Exception:  # a broken connection cannot be closed politely: cut it
            connection.terminate()

    def _reachable(self, answered: bool) -> None:
        """Every attempt tells whether the database answered: a process standing by sees an
        outage, and its end, the same as the holder does."""
        if self._on_reachable is not None:
            self._on_reachable(answered)

    def _terminated(self, _connection: object) -> None:
        if self._holding and self._on_lost is not None:
            self._on_lost()

    def _notified(self, *_args: object) -> None:
        if self._on_wake is not None:
            self._on_wake()


class FileLock:
    """An exclusive ``flock`` on a file beside the SQLite database (one machine, like SQLite)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    async def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    async def held(self) -> bool:
        return self._fd is not None

    async def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


class LocalLock:
    """For a database only this process can see (SQLite in memory): always ours."""

    def __init__(self) -> None:
        self._held = False

    async def try_acquire(self) -> bool:
        self._held = True
        return True

    async def held(self) -> bool:
        return self._held

    async def release(self) -> None:
        self._held = False


def sqlite_lock_path(database_url: str, name: str) -> Path | None:
    database = make_url(database_url).database
    if database in (None, "", ":memory:"):
        return None
    return Path(database).expanduser().resolve().with_name(f"{Path(database).name}.{name}.lock")


def lock_for(
    database_url: str,
    name: str,
    timing: ElectionTiming,
    *,
    on_lost: Callable[[], None] | None = None,
    on_wake: Callable[[], None] | None = None,
    on_reachable: Callable[[bool], None] | None = None,
) -> LeaderLock:
    """The lock that fits the database: advisory on PostgreSQL, a file beside SQLite's file."""
    if make_url(database_url).get_backend_name() == "postgresql":
        return PostgresAdvisoryLock(
            database_url,
            name,
            dead_peer_after=timing.dead_peer_after,
            query_timeout=max(1.0, timing.heartbeat),
            on_lost=on_lost,
            on_wake=on_wake,
            on_reachable=on_reachable,
        )
    path = sqlite_lock_path(database_url, name)
    return FileLock(path) if path is not None else LocalLock()
