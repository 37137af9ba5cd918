"""What the shop's webhook received and what ``GET /api/v1/events`` lists are the same events:
the same ids (``webhook-id``), types and bodies, in the order they were queued."""

from __future__ import annotations

import dataclasses
from collections import deque
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.clock import ManualClock
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.web.app import create_web_app
from storage.uow import Database
from tests.api.conftest import AUTH, TOKEN
from tests.delivery.conftest import MakeWorker, later
from tests.delivery.fakes import FakeShop
from tests.delivery.helpers import add_order


async def listed(db: Database, ctx: ServiceContext) -> list[dict[str, Any]]:
    client = TestClient(TestServer(create_web_app(db, ctx, shop_api_token=TOKEN)))
    await client.start_server()
    try:
        events: list[dict[str, Any]] = []
        query = "?limit=2"
        for _ in range(10):  # bounded
            response = await client.get(f"/api/v1/events{query}", headers=AUTH)
            body = await response.json()
            events += body["events"]
            query = f"?limit=2&after={body['next_after']}"
            if not body["has_more"]:
                return events
        raise AssertionError("the pages never ended")
    finally:
        await client.close()


async def test_the_listed_events_are_the_delivered_webhooks(
    db: Database,
    ctx: ServiceContext,
    shop: FakeShop,
    base_url: str,
    make_worker: MakeWorker,
    clock: ManualClock,
) -> None:
    ctx = dataclasses.replace(ctx, webhook_url=f"{base_url}/shop/hook")
    first = await add_order(db, telegram_id=5001, external_id="A-1")
    second = await add_order(db, telegram_id=5002, external_id="A-2")
    async with db.uow() as uow:
        notifier = Notifier(uow, ctx)
        one, two = await uow.orders.get(first), await uow.orders.get(second)
        assert one is not None and two is not None
        notifier.shop_event(one, "order.confirmed")
        notifier.shop_event(two, "order.cancelled", reason="mind", comment="Передумала")
        notifier.shop_event(one, "order.change_requested", comment="Інший розмір")
        await uow.commit()
    shop.statuses = deque([500])  # the first try is refused: its retry has the same id
    worker = make_worker()

    await worker.drain()
    later(clock, 5)
    await worker.drain()

    delivered = shop.delivered
    assert len(delivered) == 3
    events = await listed(db, ctx)
    # In the order they happened, whatever order the lanes reached the shop in.
    assert [event["id"] for event in events] == sorted(
        (hook["id"] for hook in delivered), key=lambda evt: int(evt.removeprefix("evt_"))
    )
    by_id = {hook["id"]: hook for hook in delivered}
    assert events == [by_id[event["id"]] for event in events]
    assert [hook.headers["webhook-id"] for hook in shop.hooks if hook.status == 200] == [
        hook["id"] for hook in delivered
    ]
    [refused] = [hook for hook in shop.hooks if hook.status == 500]
    assert refused.headers["webhook-id"] in by_id  # listed once, under the id it was retried with
