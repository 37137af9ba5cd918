"""The leader locks: one holder at a time, released the moment the holder dies."""

from __future__ import annotations

import asyncio
import signal
import sys
from decimal import Decimal
from pathlib import Path

import asyncpg

from bot.clock import ManualClock
from bot.cluster.locks import FileLock, PostgresAdvisoryLock, asyncpg_dsn, sqlite_lock_path
from storage.db import create_engine
from storage.models import Customer, Order
from storage.uow import Database

HOLD_FLOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


def pg_lock(url: str, **callbacks: object) -> PostgresAdvisoryLock:
    return PostgresAdvisoryLock(
        url,
        "worker",
        dead_peer_after=3,
        query_timeout=2,
        **callbacks,  # type: ignore[arg-type]
    )


async def test_a_file_lock_has_one_holder_until_released(tmp_path: Path):
    first, second = FileLock(tmp_path / "x.lock"), FileLock(tmp_path / "x.lock")

    assert await first.try_acquire()
    assert not await second.try_acquire()
    assert await first.held() and not await second.held()

    await first.release()
    assert await second.try_acquire()
    await second.release()


async def test_a_file_lock_is_free_the_moment_its_holder_is_killed(tmp_path: Path):
    path = tmp_path / "x.lock"
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLD_FLOCK, str(path), stdout=asyncio.subprocess.PIPE
    )
    assert holder.stdout is not None
    assert await asyncio.wait_for(holder.stdout.readline(), 10) == b"held\n"
    lock = FileLock(path)
    assert not await lock.try_acquire()

    holder.send_signal(signal.SIGKILL)
    await holder.wait()
    assert await lock.try_acquire()
    await lock.release()


def test_the_sqlite_lock_file_sits_beside_the_database(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path}/data/vykup.db"
    assert sqlite_lock_path(url, "worker") == tmp_path / "data" / "vykup.db.worker.lock"
    assert sqlite_lock_path("sqlite+aiosqlite:///:memory:", "worker") is None


async def test_an_advisory_lock_has_one_holder_and_frees_when_its_session_ends(postgres_url: str):
    lost = asyncio.Event()
    first, second = pg_lock(postgres_url, on_lost=lost.set), pg_lock(postgres_url)
    try:
        assert await first.try_acquire()
        assert not await second.try_acquire()
        assert await first.held()

        # The database ends the holder's session (a restart, a killed backend): the holder hears
        # at once and the lock is free for the other.
        admin = await asyncpg.connect(asyncpg_dsn(postgres_url))
        try:
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = 'vykup-lock-worker' AND pid <> pg_backend_pid()"
                " AND datname = current_database()"
                " AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory'"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
            )
        finally:
            await admin.close()
        assert killed == 1
        await asyncio.wait_for(lost.wait(), 10)
        assert not await first.held()
        assert await second.try_acquire()
    finally:
        await first.release()
        await second.release()


async def test_an_advisory_lock_cannot_be_taken_while_the_database_is_unreachable():
    answers: list[bool] = []
    lock = pg_lock("postgresql+asyncpg://postgres@127.0.0.1:1/none", on_reachable=answers.append)
    assert not await lock.try_acquire()
    assert not await lock.held()
    await lock.release()
    assert answers == [False]  # a stand-by sees the outage too


async def test_every_attempt_that_is_answered_says_so_taken_or_not(postgres_url: str):
    answers: list[bool] = []
    holder, standby = pg_lock(postgres_url), pg_lock(postgres_url, on_reachable=answers.append)
    try:
        assert await holder.try_acquire()
        assert not await standby.try_acquire()
        await holder.release()
        assert await standby.try_acquire()
        assert answers == [True, True]
    finally:
        await holder.release()
        await standby.release()


async def test_queuing_a_message_notifies_the_leader_and_a_plain_write_does_not(
    postgres_url: str,
):
    wakes: list[int] = []
    woken = asyncio.Event()

    def wake() -> None:
        wakes.append(1)
        woken.set()

    lock = pg_lock(postgres_url, on_wake=wake)
    clock = ManualClock()
    db = Database(create_engine(postgres_url), clock)
    try:
        assert await lock.try_acquire()
        async with db.uow() as uow:  # a customer alone queues nothing
            uow.session.add(
                Customer(
                    phone="+380501112233",
                    name="Олена",
                    created_at=clock.now(),
                    updated_at=clock.now(),
                )
            )
            await uow.commit()
        async with db.uow() as uow:  # a message queued but rolled back is never announced
            uow.outbox.add(
                channel="telegram",
                method="sendMessage",
                payload={"text": "x"},
                chat_id=1,
                now=clock.now(),
            )
        async with db.uow() as uow:
            uow.outbox.add(
                channel="telegram",
                method="sendMessage",
                payload={"text": "Привіт"},
                chat_id=1,
                now=clock.now(),
            )
            await uow.commit()
        await asyncio.wait_for(woken.wait(), 5)
        # Notifications arrive in commit order: had the first two sent one, it would be here too.
        assert wakes == [1]
    finally:
        await lock.release()
        await db.dispose()


async def test_scheduling_a_timer_notifies_the_leader(postgres_url: str):
    woken = asyncio.Event()
    lock = pg_lock(postgres_url, on_wake=woken.set)
    clock = ManualClock()
    db = Database(create_engine(postgres_url), clock)
    try:
        assert await lock.try_acquire()
        async with db.uow() as uow:
            customer = Customer(
                phone="+380501112233", name="Олена", created_at=clock.now(), updated_at=clock.now()
            )
            order = Order(
                external_id="A-1",
                customer=customer,
                recipient_name=customer.name,
                status="new",
                total=Decimal("100"),
                currency="UAH",
                payment="cod",
                carrier="nova_poshta",
                city="Київ",
                point="Відділення №1",
                link_token="token-a-1",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
            uow.session.add(order)
            await uow.session.flush()
            await uow.timers.schedule(
                kind="confirm_reminder", order_id=order.id, due_at=clock.now(), now=clock.now()
            )
            await uow.commit()
        await asyncio.wait_for(woken.wait(), 5)
    finally:
        await lock.release()
        await db.dispose()
