"""``kill -9`` the worker process while 2,000 notices go out; start it again: every notice arrives,
and only the few that were in flight at the moment of the kill may arrive twice."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select

from bot.delivery.worker import OutboxWorker
from bot.standin import FloodConfig, TelegramStandin
from bot.standin.waiting import wait_until
from storage.models import OutboxMessage
from storage.repositories.outbox import SENT
from storage.uow import Database
from tests.e2e.conftest import TOKEN
from tests.fault.notices import accepted_sends, customers, queue_notices, received, seen
from tests.fault.processes import start_bot

NOTICES = 2_000
KILL_AFTER = 600
# Sends the worker may have in flight at once (OutboxWorker's default concurrency): the most that
# Telegram can have accepted without the worker living to record it.
IN_FLIGHT = 30
# A test server, not Telegram: let the worker go as fast as it can (Telegram's pace is tested in
# tests/delivery and measured in bench/).
FAST = {"TELEGRAM_MAX_PER_SECOND": "1000"}


def test_in_flight_bound_is_the_worker_default():
    defaults = OutboxWorker.__init__.__kwdefaults__ or {}
    assert defaults["concurrency"] == IN_FLIGHT


async def test_killed_mid_fan_out_then_restarted_delivers_everything(
    db: Database, database_url: str, tmp_path: Path
):
    telegram = TelegramStandin(TOKEN, limits=FloodConfig(global_per_second=1000))
    chats = customers(telegram, NOTICES)
    assert await queue_notices(db, chats) == NOTICES

    async with telegram.serve() as telegram_url:
        worker = await start_bot(
            role="worker",
            telegram_url=telegram_url,
            database_url=database_url,
            cwd=tmp_path,
            extra=FAST,
        )
        try:
            await wait_until(
                telegram.world.pulse,
                lambda: True if accepted_sends(telegram) >= KILL_AFTER else None,
                60,
                lambda: f"only {accepted_sends(telegram)} sent; worker said: {worker.tail()}",
            )
            worker.kill()
            await worker.process.wait()
            delivered_before_restart = accepted_sends(telegram)
            assert delivered_before_restart < NOTICES  # killed mid-way, not after the end

            worker = await start_bot(
                role="worker",
                telegram_url=telegram_url,
                database_url=database_url,
                cwd=tmp_path,
                extra=FAST,
            )
            await wait_until(
                telegram.world.pulse,
                lambda: True if len(received(telegram, chats)) == NOTICES else None,
                90,
                lambda: f"{len(received(telegram, chats))} of {NOTICES} arrived: {worker.tail()}",
            )
        finally:
            assert await worker.stop() == 0

    seen_counts = received(telegram, chats)
    assert set(seen_counts) == {seen(chat, 0) for chat in chats}  # each customer got theirs
    twice = sum(count - 1 for count in seen_counts.values())
    assert twice <= IN_FLIGHT, f"{twice} notices arrived twice"
    telegram.assert_no_violations()
    async with db.uow() as uow:
        states = Counter((await uow.session.scalars(select(OutboxMessage.state))).all())
    assert states == {SENT: NOTICES}  # nothing waits, nothing failed
