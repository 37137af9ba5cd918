"""Two worker processes on one PostgreSQL database: only one sends; kill it and the other takes
over within LEADER_TAKEOVER, delivering the rest — nothing lost, nothing sent twice but in-flight."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.clock import ManualClock
from bot.standin import FloodConfig, TelegramStandin
from bot.standin.waiting import wait_until
from storage.db import create_engine
from storage.uow import Database
from tests.e2e.conftest import TOKEN
from tests.fault.notices import FIRST_CUSTOMER, customers, queue_notices, received, seen
from tests.fault.processes import BotProcess, start_bot
from tests.fault.test_worker_killed import FAST, IN_FLIGHT

TAKEOVER_SECONDS = 3
FIRST_BATCH = 200
SECOND_BATCH = 1_500
SETTINGS = {**FAST, "LEADER_TAKEOVER": f"{TAKEOVER_SECONDS}s"}


async def leads(process: BotProcess) -> bool:
    return await process.leads("worker")


def recorded(count: int) -> Callable[[BotProcess], Awaitable[bool]]:
    async def check(process: BotProcess) -> bool:
        return await process.sent() == count

    return check


async def test_one_worker_sends_and_the_standby_takes_over_when_it_is_killed(
    postgres_url: str, tmp_path: Path
):
    telegram = TelegramStandin(TOKEN, limits=FloodConfig(global_per_second=1000))
    first_chats = customers(telegram, FIRST_BATCH)
    second_chats = customers(telegram, SECOND_BATCH, first=FIRST_CUSTOMER + FIRST_BATCH)
    db = Database(create_engine(postgres_url), ManualClock())
    async with telegram.serve() as telegram_url:
        start = {"telegram_url": telegram_url, "database_url": postgres_url, "extra": SETTINGS}
        active = await start_bot(role="worker", cwd=tmp_path, **start)
        standby: BotProcess | None = None
        try:
            await active.wait_until(leads, 60, "leads")
            standby = await start_bot(role="worker", cwd=tmp_path, **start)
            await standby.ready()
            assert not await standby.leads()

            # Work queued by anyone reaches the leader (PostgreSQL NOTIFY), and only the leader.
            await queue_notices(db, first_chats)
            await wait_until(
                telegram.world.pulse,
                lambda: True if len(received(telegram, first_chats)) == FIRST_BATCH else None,
                60,
                lambda: f"{len(received(telegram, first_chats))} arrived: {active.tail()}",
            )
            await active.wait_until(recorded(FIRST_BATCH), 10, "record every send")
            assert await standby.sent() == 0 and not await standby.leads()

            await queue_notices(db, second_chats)
            await wait_until(
                telegram.world.pulse,
                lambda: True if len(received(telegram, second_chats)) >= 300 else None,
                60,
                lambda: f"the second batch did not start: {active.tail()}",
            )
            active.kill()
            await active.process.wait()
            # The setting's promise (plus a second for this test's own polling of /metrics).
            await standby.wait_until(leads, TAKEOVER_SECONDS + 1, "takes over")
            await wait_until(
                telegram.world.pulse,
                lambda: True if len(received(telegram, second_chats)) == SECOND_BATCH else None,
                60,
                lambda: f"{len(received(telegram, second_chats))} arrived: {standby.tail()}",
            )
            assert await standby.sent() > 0
        finally:
            await db.dispose()
            for process in (active, standby):
                if process is not None:
                    await process.stop()

    counts = received(telegram, first_chats + second_chats)
    assert set(counts) == {seen(chat, 0) for chat in first_chats + second_chats}
    assert sum(count - 1 for count in counts.values()) <= IN_FLIGHT
    telegram.assert_no_violations()
