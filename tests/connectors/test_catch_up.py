"""The catch-up reads what the platform changed since the last look: an order whose webhook got
lost arrives; one that came by webhook is a repeat; a refused key stops it and is told once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.connectors.base import ChangedOrders, PlatformRejected, RemoteOrder
from bot.services.connections.catch_up import OVERLAP, catch_up_all
from bot.web.order_checks import validated
from tests.connectors.recording import RecordingAdapter, stored_connection
from tests.factories import new_order

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # the test clock's start


def listed(remote_id: str, minutes: int, **changes) -> RemoteOrder:
    order = replace(new_order(remote_id), **changes)
    return RemoteOrder(
        remote_id=remote_id,
        number=remote_id,
        updated_at=T0 + timedelta(minutes=minutes),
        order=order,
    )


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def connection_id(db) -> int:
    async with db.uow() as uow:
        connection = stored_connection(uow.clock.now())
        connection.caught_up_at = T0
        uow.connections.add(connection)
        await uow.session.flush()
        await uow.commit()
        return connection.id


async def run(db, ctx, http, adapter):
    return await catch_up_all(db, ctx, http, {"woocommerce": adapter}, validated)


async def test_lost_orders_arrive_page_by_page_and_the_look_moves_on(db, ctx, http, connection_id):
    adapter = RecordingAdapter()
    adapter.pages = [
        ChangedOrders([listed("1", 1), listed("2", 2)], T0 + timedelta(minutes=2), more=True),
        ChangedOrders([listed("3", 5)], T0 + timedelta(minutes=5), more=False),
    ]
    [result] = await run(db, ctx, http, adapter)
    assert (result.received, result.refused) == (3, 0)
    # Each page starts a little before the last change seen: a change of the same second is read.
    assert adapter.asked_since == [T0 - OVERLAP, T0 + timedelta(minutes=2) - OVERLAP]
    async with db.uow() as uow:
        numbers = [(await uow.orders.by_external_id(n)) is not None for n in ("1", "2", "3")]
        connection = await uow.connections.get(connection_id)
    assert numbers == [True, True, True]
    assert connection.caught_up_at == T0 + timedelta(minutes=5)

    # The next round starts where this one ended; a repeat changes nothing.
    adapter.pages = [ChangedOrders([listed("3", 5)], T0 + timedelta(minutes=5), more=False)]
    [again] = await run(db, ctx, http, adapter)
    assert again.received == 1 and adapter.asked_since[-1] == T0 + timedelta(minutes=5) - OVERLAP
    async with db.uow() as uow:
        rows = list(await uow.outbox.pending(100))
    # Nobody in the chat yet: no card, but each order's Telegram link goes to the platform.
    assert [(r.channel, r.method) for r in rows] == [("platform", "link")] * 3


async def test_an_order_the_shop_api_would_refuse_is_skipped_not_a_stop(
    db, ctx, http, connection_id
):
    adapter = RecordingAdapter()
    blank = listed("1", 1, customer_name="  ")
    adapter.pages = [ChangedOrders([blank, listed("2", 2)], T0 + timedelta(minutes=2), more=False)]
    [result] = await run(db, ctx, http, adapter)
    assert (result.received, result.refused) == (1, 1)
    async with db.uow() as uow:
        assert await uow.orders.by_external_id("1") is None
        assert await uow.orders.by_external_id("2") is not None
        assert (await uow.connections.get(connection_id)).caught_up_at == T0 + timedelta(minutes=2)


async def test_a_refused_key_suspends_the_connection_and_the_round_skips_it(
    db, ctx, http, connection_id
):
    adapter = RecordingAdapter(fail_with=[PlatformRejected(401, "Consumer secret is invalid.")])
    assert [r.received for r in await run(db, ctx, http, adapter)] == [0]
    async with db.uow() as uow:
        assert (await uow.connections.get(connection_id)).state == "suspended"
        alerts = [r for r in await uow.outbox.pending(10) if r.chat_id == ctx.manager_chat_id]
    assert len(alerts) == 1
    assert await run(db, ctx, http, adapter) == []  # suspended: not called at all
    assert adapter.asked_since == []


async def test_a_platform_without_a_list_is_left_to_its_webhooks(db, ctx, http, connection_id):
    class WebhooksOnly(RecordingAdapter):
        async def changed_since(self, http, connection, since):
            return None

    assert await run(db, ctx, http, WebhooksOnly()) == []
