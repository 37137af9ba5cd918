"""Processes writing to one SQLite file take turns (storage/turns.py).

Two ``Database`` objects on one file stand for two processes: ``flock`` locks belong to open
files, so they exclude each other exactly as two processes would.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from storage.db import create_engine
from storage.models import Customer
from storage.turns import WriterTurns
from storage.uow import Database


async def test_two_busy_processes_on_one_sqlite_file_alternate(sqlite_template: Path, tmp_path):
    path = tmp_path / "shared.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite+aiosqlite:///{path}"
    clock = ManualClock()
    first, second = Database(create_engine(url), clock), Database(create_engine(url), clock)
    turns: list[str] = []
    phones = itertools.count(380501000000)

    async def write(name: str, db: Database) -> None:
        async with db.uow() as uow:
            turns.append(name)
            now = uow.clock.now()
            await uow.customers.add(phone=f"+{next(phones)}", name=name, now=now)
            await asyncio.sleep(0.005)  # a transaction that takes a while
            await uow.commit()

    try:
        await asyncio.gather(
            *(write("first", first) for _ in range(15)),
            *(write("second", second) for _ in range(15)),
        )
        async with first.uow() as uow:
            stored = len((await uow.session.scalars(Customer.__table__.select())).all())
    finally:
        await first.dispose()
        await second.dispose()
    assert stored == 30
    # While both have work queued, neither goes more than twice in a row (SQLite's own busy
    # handler let one process run for as long as it had work).
    both_busy = turns[: len(turns) - 2]
    longest = max(len(list(run)) for _, run in itertools.groupby(both_busy))
    assert longest <= 2, turns


async def test_a_turn_not_given_in_time_is_a_timeout_and_leaves_nothing_held(tmp_path: Path):
    database = tmp_path / "shop.db"
    holder, waiter, later = (WriterTurns(database, timeout=0.1) for _ in range(3))
    async with holder.turn():
        with pytest.raises(TimeoutError):
            async with waiter.turn():
                pass
        waiting = asyncio.create_task(later.turn().__aenter__())
        await asyncio.sleep(0.02)
        waiting.cancel()  # a request that gave up while waiting
        with pytest.raises(asyncio.CancelledError):
            await waiting
    # The waits given up on let go as soon as they got the lock: the next turn is not kept out.
    async with asyncio.timeout(2):
        async with WriterTurns(database, timeout=5).turn():
            pass


def test_turns_only_for_a_sqlite_file(tmp_path: Path):
    assert WriterTurns.beside(make_url(f"sqlite+aiosqlite:///{tmp_path}/a.db"), 1) is not None
    assert WriterTurns.beside(make_url("sqlite+aiosqlite:///:memory:"), 1) is None
    assert WriterTurns.beside(make_url("postgresql+asyncpg://u@h/db"), 1) is None
