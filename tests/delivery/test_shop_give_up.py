"""Deliveries the shop keeps refusing are given up after WEBHOOK_GIVE_UP; the managers hear of it
once, and once more when the shop takes events again; the failed ones can be queued again."""

from __future__ import annotations

import io
from collections import deque
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli.webhooks import run_webhooks
from bot.clock import ManualClock
from bot.config import StorageSettings
from bot.domain.incidents import past_give_up
from bot.i18n import Catalogs
from bot.services.context import ServiceContext
from bot.services.shop_deliveries import ShopDeliveryWatch, redeliver_failed
from storage.migrate import upgrade
from storage.uow import Database
from tests.delivery.conftest import MakeWorker, later
from tests.delivery.fakes import FakeShop, FakeTelegram
from tests.delivery.helpers import add_order, outbox, queue_webhooks

MANAGERS = -100500


@pytest.fixture
def watch(db: Database) -> ShopDeliveryWatch:
    ctx = ServiceContext(catalogs=Catalogs(ZoneInfo("Europe/Kyiv")), manager_chat_id=MANAGERS)
    return ShopDeliveryWatch(db, ctx)


def test_a_delivery_is_given_up_when_its_next_try_would_be_late() -> None:
    created = ManualClock().now()
    three_days = timedelta(days=3)
    assert not past_give_up(created, created + three_days, three_days)
    assert past_give_up(created, created + three_days + timedelta(seconds=1), three_days)


async def test_refused_for_three_days_given_up_managers_told_once_then_all_clear(
    db: Database,
    shop: FakeShop,
    telegram: FakeTelegram,
    base_url: str,
    make_worker: MakeWorker,
    clock: ManualClock,
    watch: ShopDeliveryWatch,
) -> None:
    url = f"{base_url}/shop/hook"
    first = await add_order(db, telegram_id=5001, external_id="A-1")
    second = await add_order(db, telegram_id=5002, external_id="A-2")
    (one,) = await queue_webhooks(db, url, first, {"event": "order.confirmed", "order": "A-1"})
    (two,) = await queue_webhooks(db, url, second, {"event": "order.confirmed", "order": "A-2"})
    shop.statuses = deque([503] * 1000)  # down for good
    worker = make_worker(shop_watch=watch)

    for _ in range(12):  # 5 s, 10 s, 20 s … through the first hour
        await worker.drain()
        later(clock, 600)
    await worker.drain()

    rows = await outbox(db)
    assert rows[one].state == rows[two].state == "pending"  # still tried…
    (alert,) = telegram.texts(MANAGERS)  # …but after an hour the managers know, once
    assert alert is not None and "Сервер магазину не приймає події Vykup" in alert
    assert "HTTP 503 Service Unavailable" in alert

    for _ in range(80):  # an hour apart, until three days are up
        await worker.drain()
        later(clock, 3600)
    await worker.drain()

    rows = await outbox(db)
    assert rows[one].state == rows[two].state == "failed"
    assert rows[one].last_error == (
        "given up after 3d: WebhookRejected: HTTP 503 Service Unavailable"
    )
    assert worker.stats.failed["gave_up"] == 2
    (alert,) = telegram.texts(MANAGERS)  # two deliveries given up, one alert
    assert alert is not None and "Сервер магазину не приймає події Vykup" in alert
    assert "vykup webhooks --redeliver" in alert

    shop.statuses.clear()  # the shop's server is back
    assert await redeliver_failed(db) == 2
    await worker.drain()

    assert {hook["order"] for hook in shop.delivered} == {"A-1", "A-2"}
    assert all(row.state == "sent" for row in (await outbox(db)).values())
    alerts = telegram.texts(MANAGERS)
    assert len(alerts) == 2
    assert "Сервер магазину знову приймає події Vykup" in (alerts[1] or "")


async def test_410_gone_fails_at_once_and_tells_the_managers(
    db: Database,
    shop: FakeShop,
    telegram: FakeTelegram,
    base_url: str,
    make_worker: MakeWorker,
    watch: ShopDeliveryWatch,
) -> None:
    order = await add_order(db, telegram_id=5001)
    (row,) = await queue_webhooks(db, f"{base_url}/shop/hook", order, {"event": "x"})
    shop.statuses.append(410)

    await make_worker(shop_watch=watch).drain()

    assert (await outbox(db))[row].state == "failed"
    (alert,) = telegram.texts(MANAGERS)
    assert alert is not None and "410" in alert


async def test_with_give_up_off_a_refused_delivery_waits_on(
    db: Database, make_worker: MakeWorker, clock: ManualClock, watch: ShopDeliveryWatch
) -> None:
    order = await add_order(db, telegram_id=5001)
    (row,) = await queue_webhooks(db, "http://127.0.0.1:9/hook", order, {"event": "x"})
    worker = make_worker(shop_watch=watch, webhook_give_up=None)

    for _ in range(100):
        await worker.drain()
        later(clock, 3600)

    assert (await outbox(db))[row].state == "pending"


def test_the_webhooks_command_counts_and_queues_failed_deliveries_again(tmp_path: Path) -> None:
    import asyncio

    url = f"sqlite+aiosqlite:///{tmp_path}/vykup.db"
    upgrade(url)

    async def fail_one() -> None:
        from storage.db import create_engine

        db = Database(create_engine(url), ManualClock())
        try:
            order = await add_order(db, telegram_id=5001)
            (row,) = await queue_webhooks(db, "http://127.0.0.1:9/hook", order, {"event": "x"})
            async with db.uow() as uow:
                await uow.outbox.mark_failed(row, error="given up after 3d: HTTP 503")
                await uow.commit()
        finally:
            await db.dispose()

    asyncio.run(fail_one())
    settings = StorageSettings(_env_file=None, database_url=url)  # type: ignore[call-arg]

    out = io.StringIO()
    assert run_webhooks(settings, redeliver=False, out=out) == 0
    assert out.getvalue().splitlines() == [
        "vykup: deliveries to the shop: 0 waiting, 1 failed",
        "vykup: to send the failed ones again: vykup webhooks --redeliver",
    ]
    out = io.StringIO()
    run_webhooks(settings, redeliver=True, out=out)
    assert out.getvalue().splitlines()[-1] == (
        "vykup: 1 failed deliveries queued again; the running bot sends them"
    )
    out = io.StringIO()
    run_webhooks(settings, redeliver=False, out=out)
    assert out.getvalue().splitlines() == ["vykup: deliveries to the shop: 1 waiting, 0 failed"]


async def test_alerts_go_to_their_own_chat_when_one_is_set(
    db: Database,
    shop: FakeShop,
    telegram: FakeTelegram,
    base_url: str,
    make_worker: MakeWorker,
) -> None:
    alerts = -100600
    ctx = ServiceContext(
        catalogs=Catalogs(ZoneInfo("Europe/Kyiv")), manager_chat_id=MANAGERS, alerts_chat_id=alerts
    )
    order = await add_order(db, telegram_id=5001)
    await queue_webhooks(db, f"{base_url}/shop/hook", order, {"event": "x"})
    shop.statuses.append(410)

    await make_worker(shop_watch=ShopDeliveryWatch(db, ctx)).drain()

    (alert,) = telegram.texts(alerts)
    assert alert is not None and "410" in alert
    assert telegram.texts(MANAGERS) == []
