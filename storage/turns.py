"""Fair turns between processes writing to one SQLite file.

Every transaction here begins with ``BEGIN IMMEDIATE`` (it takes SQLite's write lock), and within a
process transactions already wait in line for each other. Between processes SQLite itself only
offers its busy handler: the process that finds the file locked sleeps and tries again, backing
off to 100 ms sleeps. A process with work queued takes the lock again a moment after releasing it,
so the other one wakes up to a locked file again and again: with two web processes on SQLite the
benchmark (``bench/intake.py``) saw requests starved for 3 to 7 s while the median took 0.3 s.

Turns fix that with two ``flock`` files beside the database, a turnstile: a process takes the
gate, then the writer lock, then lets the gate go. While it writes, the next process holds the
gate and waits for the writer lock, so the first one, coming back, waits at the gate: when both
are busy they alternate. A lone process pays four system calls a transaction and never waits.
A wait blocks in a thread (the kernel wakes it the moment the lock is let go) and gives up after
``timeout`` seconds with ``TimeoutError``, as SQLite would with "database is locked". Each turn
opens its own descriptors, and a lock is let go by closing its file: a wait given up on (timed
out, or its request cancelled) closes its file whenever its thread is done, and can never let go
of a later turn's lock. Processes that do not take turns (a migration, an import) still meet
SQLite's own busy handler: the turns decide only who goes next, never whether the data is safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy.engine import URL


class WriterTurns:
    def __init__(self, database: Path, timeout: float) -> None:
        self._gate = database.with_name(f"{database.name}.gate.lock")
        self._writer = database.with_name(f"{database.name}.writer.lock")
        self._timeout = timeout

    @classmethod
    def beside(cls, url: URL, timeout: float) -> WriterTurns | None:
        """Turns for a SQLite file; None for anything else (a database in memory, PostgreSQL)."""
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return cls(Path(url.database).expanduser().resolve(), timeout)

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold the writer lock for the block; wait at the gate behind a process already waiting."""
        deadline = time.monotonic() + self._timeout
        gate = await _take(self._gate, deadline)
        try:
            writer = await _take(self._writer, deadline)
        finally:
            os.close(gate)
        try:
            yield
        finally:
            os.close(writer)


async def _take(path: Path, deadline: float) -> int:
    """An open descriptor of ``path`` holding its exclusive lock."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        pass
    except BaseException:
        os.close(fd)
        raise
    waiting = asyncio.get_running_loop().run_in_executor(None, fcntl.flock, fd, fcntl.LOCK_EX)
    try:
        await asyncio.wait_for(asyncio.shield(waiting), max(0.0, deadline - time.monotonic()))
    except BaseException as error:
        waiting.add_done_callback(lambda _: os.close(fd))  # the thread waits on: close after it
        if isinstance(error, TimeoutError):
            raise TimeoutError("another process kept the SQLite database locked") from None
        raise
    return fd
