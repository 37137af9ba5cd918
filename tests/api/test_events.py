"""``GET /api/v1/events``: the events the shop's webhooks carry, read back page by page, with
or without a webhook, for as long as delivered messages are kept."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.clock import ManualClock
from bot.domain.shop_events import with_identity
from bot.services.context import ServiceContext
from bot.services.housekeeping import prune
from bot.services.notifier import Notifier
from bot.web.app import create_web_app
from storage.models import Order, OutboxMessage
from storage.uow import Database
from tests.api.conftest import AUTH, TOKEN, create, order_payload

KEEP = timedelta(days=30)


async def an_order(client: TestClient, external_id: str = "A-1") -> None:
    response = await create(client, order_payload(external_id=external_id))
    assert response.status == 201


async def tell_the_shop(
    db: Database, ctx: ServiceContext, count: int, external_id: str = "A-1"
) -> None:
    """``count`` events about one order, in one transaction: ``comment`` numbers them."""
    async with db.uow() as uow:
        order = (
            await uow.session.scalars(select(Order).where(Order.external_id == external_id))
        ).one()
        notifier = Notifier(uow, ctx)
        for number in range(count):
            notifier.shop_event(order, "order.change_requested", comment=f"#{number}")
        await uow.commit()


async def page(client: TestClient, query: str = "") -> dict[str, Any]:
    response = await client.get(f"/api/v1/events{query}", headers=AUTH)
    assert response.status == 200, await response.text()
    body: dict[str, Any] = await response.json()
    return body


async def event_rows(db: Database) -> list[OutboxMessage]:
    async with db.read() as uow:
        query = select(OutboxMessage).where(OutboxMessage.channel != "telegram")
        return list(await uow.session.scalars(query.order_by(OutboxMessage.id)))


@pytest.fixture
async def client_without_webhook(db: Database, ctx: ServiceContext) -> AsyncIterator[TestClient]:
    """The app of a shop that takes no webhooks (SHOP_WEBHOOK_URL unset)."""
    app = create_web_app(db, dataclasses.replace(ctx, webhook_url=None), shop_api_token=TOKEN)
    client = TestClient(TestServer(app))
    await client.start_server()
    yield client
    await client.close()


async def test_250_events_in_pages_of_100_each_once_in_order(
    client: TestClient, db: Database, ctx: ServiceContext
) -> None:
    await an_order(client)
    await tell_the_shop(db, ctx, 250)
    rows = [row for row in await event_rows(db) if row.payload["body"]["comment"]]

    seen: list[dict[str, Any]] = []
    pages: list[tuple[int, bool]] = []
    query = "?limit=100"
    for _ in range(10):  # bounded: three pages are expected
        body = await page(client, query)
        seen += body["events"]
        pages.append((len(body["events"]), body["has_more"]))
        query = f"?limit=100&after={body['next_after']}"
        if not body["has_more"]:
            break

    assert pages == [(100, True), (100, True), (50, False)]
    assert [event["comment"] for event in seen] == [f"#{n}" for n in range(250)]
    # Each exactly as its webhook carries it: the same id, type and body.
    assert seen == [with_identity(row.payload["body"], f"evt_{row.id}") for row in rows]
    assert {event["type"] for event in seen} == {"order.change_requested"}
    # The last cursor waits where it is, and hears of what comes later.
    empty = await page(client, query)
    assert (empty["events"], empty["has_more"], f"?limit=100&after={empty['next_after']}") == (
        [],
        False,
        query,
    )
    await tell_the_shop(db, ctx, 1)
    [later] = (await page(client, query))["events"]
    assert later["comment"] == "#0" and later["id"] == f"evt_{rows[-1].id + 1}"


async def test_the_default_page_is_100_from_the_oldest(
    client: TestClient, db: Database, ctx: ServiceContext
) -> None:
    await an_order(client)
    await tell_the_shop(db, ctx, 120)

    body = await page(client)

    assert len(body["events"]) == 100 and body["has_more"] is True
    assert body["events"][0]["comment"] == "#0"


async def test_without_a_webhook_url_events_are_recorded_listed_and_never_sent(
    client_without_webhook: TestClient, db: Database, ctx: ServiceContext
) -> None:
    await an_order(client_without_webhook)
    await tell_the_shop(db, dataclasses.replace(ctx, webhook_url=None), 3)

    events = (await page(client_without_webhook))["events"]

    rows = await event_rows(db)
    assert [event["comment"] for event in events] == ["#0", "#1", "#2"]
    assert [event["id"] for event in events] == [f"evt_{row.id}" for row in rows]
    assert [event["type"] for event in events] == ["order.change_requested"] * 3
    # Recorded, not pending: the worker has nothing to send (and no URL to retry for ever).
    assert {(row.channel, row.state) for row in rows} == {("shop_event", "recorded")}
    async with db.read() as uow:
        due, _next_due = await uow.outbox.due_heads(now=uow.clock.now() + KEEP, limit=10)
        assert [head for head in due if head[1] != "telegram"] == []
        assert await uow.outbox.webhook_counts() == (0, 0)


async def test_events_go_with_housekeeping_after_delivery_history_keep(
    client: TestClient,
    client_without_webhook: TestClient,
    db: Database,
    ctx: ServiceContext,
    clock: ManualClock,
) -> None:
    await an_order(client)
    await tell_the_shop(db, dataclasses.replace(ctx, webhook_url=None), 2)  # recorded only
    await tell_the_shop(db, ctx, 1)  # a webhook that waits: never deleted
    sent = (await event_rows(db))[-1].id
    async with db.uow() as uow:
        await uow.outbox.mark_sent(sent, now=uow.clock.now(), sent_message_id=None)
        await uow.commit()

    await prune(db, keep=KEEP, now=clock.now() + KEEP - timedelta(seconds=1), rest=0)
    assert len((await page(client))["events"]) == 3  # not yet

    await prune(db, keep=KEEP, now=clock.now() + KEEP + timedelta(seconds=1), rest=0)
    assert (await page(client))["events"] == []
    assert await event_rows(db) == []

    await tell_the_shop(db, ctx, 1)  # waiting for the shop: kept past any cutoff
    await prune(db, keep=KEEP, now=clock.now() + 10 * KEEP, rest=0)
    assert [event["comment"] for event in (await page(client))["events"]] == ["#0"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?after=", "after"),
        ("?after=evt_12", "after"),
        ("?after=e-1", "after"),
        ("?after=e12x", "after"),
        ("?after=e12", "after"),  # a position is the writing transaction and the id
        ("?after=e1_2_3", "after"),
        ("?after=r12", "after"),  # a cursor of the returns list
        ("?after=o1_2", "after"),  # … and of the orders list
        ("?limit=0", "limit"),
        ("?limit=501", "limit"),
        ("?limit=ten", "limit"),
        ("?since=e1", "since"),
    ],
)
async def test_a_bad_cursor_or_limit_is_422_naming_it(
    client: TestClient, query: str, field: str
) -> None:
    response = await client.get(f"/api/v1/events{query}", headers=AUTH)

    assert response.status == 422
    error = (await response.json())["error"]
    assert error["code"] == "validation_failed"
    assert [item["field"] for item in error["fields"]] == [field]


async def test_a_cursor_beyond_every_event_lists_nothing(client: TestClient) -> None:
    body = await page(client, "?after=e9999999999999999999_9999999999999999999")

    assert (body["events"], body["has_more"]) == ([], False)


async def test_the_events_want_the_token(client: TestClient) -> None:
    response = await client.get("/api/v1/events")

    assert response.status == 401
