"""What reaches the managers (or ALERTS_CHAT_ID) when something needs a person: messages held up in
the outbox, Telegram rejecting the bot's token, the database away; once each, and when it clears.

The bot's clock starts at 08:00 UTC, 10:00 in Kyiv (the managers' time zone)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import OperationalError

from bot.clock import ManualClock
from bot.delivery import watchdog as watchdog_module
from bot.delivery.watchdog import DatabaseOutage, Watchdog
from bot.domain.incidents import IncidentKind
from bot.i18n import Catalogs
from bot.services.context import ServiceContext
from bot.services.telegram_token import TelegramTokenWatch
from storage.uow import Database
from tests.delivery.conftest import MakeWorker, later
from tests.delivery.fakes import SERVER_ERROR, FakeTelegram, error
from tests.delivery.helpers import queue_texts

MANAGERS = -100500
ALERTS = -100777
CUSTOMER = 5001
UNAUTHORIZED = error(401, "Unauthorized")


@pytest.fixture
def ctx() -> ServiceContext:
    return ServiceContext(catalogs=Catalogs(ZoneInfo("Europe/Kyiv")), manager_chat_id=MANAGERS)


@pytest.fixture
def watchdog(db: Database, ctx: ServiceContext, clock: ManualClock) -> Watchdog:
    return Watchdog(db, ctx, clock)


async def incident(db: Database, kind: IncidentKind) -> tuple[str, str | None] | None:
    """(opened_at, resolved_at) as HH:MM UTC, or None if never opened."""
    async with db.read() as uow:
        row = await uow.incidents.get(kind.value)
    if row is None:
        return None
    resolved = f"{row.resolved_at:%H:%M}" if row.resolved_at is not None else None
    return f"{row.opened_at:%H:%M}", resolved


# -- messages held up in the outbox ----------------------------------------------------------------


async def test_a_message_held_up_15_minutes_tells_the_managers_once_then_all_clear(
    db: Database,
    telegram: FakeTelegram,
    make_worker: MakeWorker,
    clock: ManualClock,
    watchdog: Watchdog,
) -> None:
    telegram.script(CUSTOMER, *[SERVER_ERROR] * 50)  # Telegram refuses this chat's messages
    await queue_texts(db, CUSTOMER, "Your order is confirmed")  # queued at 10:00 Kyiv time
    worker = make_worker()
    for _ in range(14):  # 14 minutes: not yet
        await worker.drain()
        later(clock, 60)
        assert await watchdog.run_once() is False
    await worker.drain()
    assert telegram.texts(MANAGERS) == []

    later(clock, 61)  # over 15 minutes
    assert await watchdog.run_once() is True
    for _ in range(5):  # still held up, rounds go on: one alert
        await worker.drain()
        later(clock, 60)
        assert await watchdog.run_once() is True
    await worker.drain()

    (alert,) = telegram.texts(MANAGERS)
    assert alert is not None
    assert "Повідомлення Vykup затримуються</b>: з 10:00" in alert
    assert "Internal Server Error" in alert  # the last error of the held message
    assert "BOT_TOKEN" in alert  # what to check

    telegram.unscript(CUSTOMER)  # Telegram takes the chat's messages again
    later(clock, 300)  # its retry is due
    await worker.drain()
    assert telegram.texts(CUSTOMER) == ["Your order is confirmed"]
    assert await watchdog.run_once() is False
    await worker.drain()

    alerts = telegram.texts(MANAGERS)
    assert len(alerts) == 2
    assert alerts[1] == (
        "✅ <b>Повідомлення Vykup знову надсилаються.</b> Вони затримувалися з 10:00 до 10:25."
    )
    assert await incident(db, IncidentKind.outbox_stale) == ("08:00", "08:25")
    assert await watchdog.run_once() is False  # cleared once
    await worker.drain()
    assert len(telegram.texts(MANAGERS)) == 2


async def test_when_telegram_itself_refused_the_alert_arrives_late_and_the_all_clear_with_it(
    db: Database,
    telegram: FakeTelegram,
    make_worker: MakeWorker,
    clock: ManualClock,
    watchdog: Watchdog,
) -> None:
    for chat in (CUSTOMER, MANAGERS):  # Telegram is down for everyone, alerts included
        telegram.script(chat, *[SERVER_ERROR] * 100)
    await queue_texts(db, CUSTOMER, "Your order is confirmed")
    worker = make_worker()
    for _ in range(30):  # half an hour
        await worker.drain()
        later(clock, 60)
        await watchdog.run_once()
    await worker.drain()
    assert telegram.texts(MANAGERS) == []  # the alert waits in the outbox like the rest

    for chat in (CUSTOMER, MANAGERS):
        telegram.unscript(chat)  # Telegram is back at 10:30
    later(clock, 300)  # every waiting retry is due (10:35)
    await worker.drain()
    await watchdog.run_once()
    await worker.drain()

    late, cleared = telegram.texts(MANAGERS)
    assert late is not None and "з 10:00" in late  # true though it arrives at 10:35…
    assert "Якщо це сповіщення прийшло із запізненням" in late  # …and says why it may be late
    assert cleared == (
        "✅ <b>Повідомлення Vykup знову надсилаються.</b> Вони затримувалися з 10:00 до 10:35."
    )


async def test_messages_nobody_tried_say_the_worker_does_not_run(
    db: Database, clock: ManualClock, watchdog: Watchdog
) -> None:
    await queue_texts(db, CUSTOMER, "Your order is confirmed")  # and no worker takes it
    later(clock, 16 * 60)
    assert await watchdog.run_once() is True

    async with db.read() as uow:
        held = await uow.outbox.pending_for_chat(MANAGERS)
    (alert,) = [row.payload["text"] for row in held]
    assert "з 10:00 повідомлення чекають понад 15 хвилин, і жодне з них не пробували" in alert
    assert "vykup_leader" in alert and "Остання помилка" not in alert


async def test_alerts_go_to_the_alerts_chat_when_one_is_set(
    db: Database, telegram: FakeTelegram, make_worker: MakeWorker, clock: ManualClock
) -> None:
    ctx = ServiceContext(
        catalogs=Catalogs(ZoneInfo("Europe/Kyiv")),
        manager_chat_id=MANAGERS,
        alerts_chat_id=ALERTS,
    )
    telegram.script(CUSTOMER, *[SERVER_ERROR] * 50)
    await queue_texts(db, CUSTOMER, "hello")
    worker = make_worker()
    await worker.drain()
    later(clock, 16 * 60)
    assert await Watchdog(db, ctx, clock).run_once() is True
    await worker.drain()
    assert telegram.texts(MANAGERS) == []
    (alert,) = telegram.texts(ALERTS)
    assert alert is not None and "з 10:00" in alert


# -- the bot's token rejected ----------------------------------------------------------------------


async def test_a_rejected_token_is_logged_once_and_told_when_telegram_takes_it_again(
    db: Database,
    ctx: ServiceContext,
    telegram: FakeTelegram,
    make_worker: MakeWorker,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for chat in (CUSTOMER, CUSTOMER + 1, MANAGERS):
        telegram.script(chat, *[UNAUTHORIZED] * 100)
    await queue_texts(db, CUSTOMER, "one")
    await queue_texts(db, CUSTOMER + 1, "two")
    worker = make_worker(telegram_watch=TelegramTokenWatch(db, ctx))
    watchdog = Watchdog(db, ctx, clock)
    with caplog.at_level(logging.ERROR, logger="bot.services.telegram_token"):
        for _ in range(10):  # two chats refused, again and again, for 50 minutes
            await worker.drain()
            later(clock, 300)
            await watchdog.run_once()  # held up from 10:20 on, but the token says why
        await worker.drain()

    told = [r for r in caplog.records if r.name == "bot.services.telegram_token"]
    assert len(told) == 1  # once per incident, saying what to do
    assert told[0].levelno == logging.ERROR
    assert "BOT_TOKEN" in told[0].getMessage() and "@BotFather" in told[0].getMessage()
    assert await incident(db, IncidentKind.telegram_token) == ("08:00", None)
    assert worker.stats.retried["unauthorized"] >= 20

    for chat in (CUSTOMER, CUSTOMER + 1, MANAGERS):
        telegram.unscript(chat)  # a good token (after a restart, or revoked by mistake)
    later(clock, 300)  # 10:55
    await worker.drain()

    assert telegram.texts(CUSTOMER) == ["one"] and telegram.texts(CUSTOMER + 1) == ["two"]
    (back,) = telegram.texts(MANAGERS)
    assert back == (
        "✅ <b>Telegram знову приймає бота.</b> Він відхиляв токен бота з 10:00 до 10:55, тож "
        "тим часом нічого не надсилалося; повідомлення, що чекали, надсилаються зараз."
    )
    assert await incident(db, IncidentKind.telegram_token) == ("08:00", "08:55")
    assert await incident(db, IncidentKind.outbox_stale) is None  # no second story of the same


async def test_a_new_process_with_a_good_token_closes_the_incident_a_previous_one_opened(
    db: Database, ctx: ServiceContext, telegram: FakeTelegram, make_worker: MakeWorker
) -> None:
    telegram.script(CUSTOMER, UNAUTHORIZED)
    await queue_texts(db, CUSTOMER, "one")
    await make_worker(telegram_watch=TelegramTokenWatch(db, ctx)).drain()
    assert await incident(db, IncidentKind.telegram_token) == ("08:00", None)

    restarted = make_worker(telegram_watch=TelegramTokenWatch(db, ctx))
    await queue_texts(db, CUSTOMER + 1, "two")
    await restarted.drain()

    assert telegram.texts(CUSTOMER + 1) == ["two"]
    (back,) = telegram.texts(MANAGERS)
    assert back is not None and "Telegram знову приймає бота" in back


# -- the database away -----------------------------------------------------------------------------


def database_down(monkeypatch: pytest.MonkeyPatch, rounds: int) -> None:
    """The watchdog's next ``rounds`` rounds cannot reach the database."""
    real = watchdog_module.check_outbox
    left = [rounds]

    async def check(db: Database, ctx: ServiceContext) -> bool:
        if left[0] > 0:
            left[0] -= 1
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError(111, "refused"))
        return await real(db, ctx)

    monkeypatch.setattr(watchdog_module, "check_outbox", check)


async def test_a_database_outage_is_told_once_it_is_back_with_its_span(
    db: Database,
    telegram: FakeTelegram,
    make_worker: MakeWorker,
    clock: ManualClock,
    watchdog: Watchdog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert await watchdog.run_once() is False  # 10:00, all well
    database_down(monkeypatch, rounds=4)
    later(clock, 60)
    for _ in range(4):  # 10:01 … 10:04: the rounds fail (the loop logs and tries again)
        with pytest.raises(OperationalError):
            await watchdog.run_once()
        later(clock, 60)
    assert watchdog.outage.since == ManualClock().now() + timedelta(minutes=1)

    assert await watchdog.run_once() is False  # 10:05: back
    await make_worker().drain()

    (told,) = telegram.texts(MANAGERS)
    assert told == (
        "⚠️ <b>База даних була недоступна з 10:01 до 10:05.</b> API магазину тим часом "
        "відповідав 503 (магазин надсилає ще раз), і нічого не втрачено. Якщо це повториться, "
        "перевірте сервер бази даних (журнали, диск і з'єднання)."
    )
    assert await incident(db, IncidentKind.database) == ("08:01", "08:05")
    assert watchdog.outage.since is None


async def test_a_database_blip_under_a_minute_is_not_told(
    db: Database,
    telegram: FakeTelegram,
    make_worker: MakeWorker,
    clock: ManualClock,
    watchdog: Watchdog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    database_down(monkeypatch, rounds=1)
    with pytest.raises(OperationalError):
        await watchdog.run_once()
    later(clock, 15)  # the loop tries again after retry_after
    assert await watchdog.run_once() is False
    await make_worker().drain()
    assert telegram.texts(MANAGERS) == []
    assert await incident(db, IncidentKind.database) is None


async def test_other_failures_of_a_round_are_not_a_database_outage(
    watchdog: Watchdog, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(db: Database, ctx: ServiceContext) -> bool:
        raise RuntimeError("a bug")

    monkeypatch.setattr(watchdog_module, "check_outbox", broken)
    with pytest.raises(RuntimeError):
        await watchdog.run_once()
    assert watchdog.outage.since is None


async def test_an_outage_that_deposed_the_worker_is_told_by_the_next_terms_watchdog(
    db: Database,
    ctx: ServiceContext,
    telegram: FakeTelegram,
    make_worker: MakeWorker,
    clock: ManualClock,
) -> None:
    """On PostgreSQL the worker's lock connection breaks first and the worker steps down before a
    round fails: the loss is noted on the application's DatabaseOutage (as ``Application`` does
    when its lock is lost), and the watchdog of the next term, once elected again, tells it."""
    outage = DatabaseOutage()
    first_term = Watchdog(db, ctx, clock, outage=outage)
    assert await first_term.run_once() is False
    first_term.stop()
    later(clock, 30)
    outage.began(clock.now())  # 10:00:30, the lock is lost
    later(clock, 150)  # the database is back, the worker elected again at 10:03

    assert await Watchdog(db, ctx, clock, outage=outage).run_once() is False
    await make_worker().drain()

    (told,) = telegram.texts(MANAGERS)
    assert told is not None and "База даних була недоступна з 10:00 до 10:03" in told
    assert outage.since is None


async def test_an_outage_seen_by_two_processes_is_told_once_whoever_leads_after_it(
    db: Database,
    ctx: ServiceContext,
    telegram: FakeTelegram,
    make_worker: MakeWorker,
    clock: ManualClock,
) -> None:
    """The worker's lock broke at 10:00:30 in one process; a stand-by's attempts went unanswered
    from 10:01. The database is back at 10:03, and the stand-by leads now: its attempt that got an
    answer tells the outage; the old leader's own sighting, told later, only widens it."""
    old_leader, standby = DatabaseOutage(), DatabaseOutage()
    later(clock, 30)
    old_leader.began(clock.now())
    later(clock, 30)
    standby.began(clock.now())
    later(clock, 120)

    standby.answered_soon(db, ctx, clock.now())  # from the lock's callback: a task of its own
    await standby.close()
    later(clock, 15)
    await old_leader.answered(db, ctx, clock.now())
    await make_worker().drain()

    (told,) = telegram.texts(MANAGERS)
    assert told is not None and "База даних була недоступна з 10:01 до 10:03" in told
    assert (standby.since, old_leader.since) == (None, None)
    assert await incident(db, IncidentKind.database) == ("08:00", "08:03")  # widened, UTC


async def test_the_next_outage_is_told_again(
    db: Database,
    ctx: ServiceContext,
    telegram: FakeTelegram,
    make_worker: MakeWorker,
    clock: ManualClock,
) -> None:
    outage = DatabaseOutage()
    for _ in range(2):
        outage.began(clock.now())
        later(clock, 120)
        await outage.answered(db, ctx, clock.now())
        later(clock, 3600)
    await make_worker().drain()

    first, second = telegram.texts(MANAGERS)
    assert first is not None and "з 10:00 до 10:02" in first
    assert second is not None and "з 11:02 до 11:04" in second


async def test_a_stop_does_not_wait_for_ever_on_an_outage_being_recorded(
    db: Database,
    ctx: ServiceContext,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hangs = asyncio.Event()

    async def tell_hangs(*_args: object, **_kwargs: object) -> bool:
        await hangs.wait()  # the database went away again mid-way
        return True

    monkeypatch.setattr(watchdog_module, "tell_database_outage", tell_hangs)
    monkeypatch.setattr(watchdog_module, "TELLING_TIMEOUT", 0.05)
    outage = DatabaseOutage()
    outage.began(clock.now())
    later(clock, 120)
    outage.answered_soon(db, ctx, clock.now())

    await outage.close()  # returns: the stop goes on

    assert "stopping before the database outage could be recorded" in caplog.text
    assert outage.since is not None  # not told, so not forgotten
