"""Vykup's events reach the platform's order through the outbox: mapped, noted once, retried,
and held while the platform refuses the credentials (the managers told once)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.botapi.rate_limit import RateLimiter
from bot.connectors.base import Platform, PlatformRejected, RemoteOrder
from bot.delivery.outcomes import TELEGRAM_BACKOFF, WEBHOOK_BACKOFF, Failed, Retry, Sent
from bot.delivery.platform_calls import SUSPENDED_RECHECK, PlatformCalls
from bot.delivery.sender import Deliverer, DeliverySettings, DeliveryStats
from bot.domain.orders import CancelReason, OrderStatus
from bot.services import confirmation
from bot.services.connections.inbound import queue_fetch, receive
from bot.services.connections.setup import forget_connection
from bot.services.people import MessageRef
from bot.web.order_checks import validated
from tests.connectors.recording import RecordingAdapter, stored_connection
from tests.factories import OLENA, new_order

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def adapter() -> RecordingAdapter:
    return RecordingAdapter()


@pytest.fixture
def calls(db, ctx, http, adapter) -> PlatformCalls:
    return PlatformCalls(db, ctx, http, {Platform.woocommerce: adapter}, validated)


@pytest.fixture
async def order_id(db, ctx) -> int:
    async with db.uow() as uow:
        connection = stored_connection(uow.clock.now())
        connection.mapping = {"order.confirmed": "processing"}
        uow.connections.add(connection)
        await uow.session.flush()
        await uow.commit()
        connection_id = connection.id
    remote = RemoteOrder(
        remote_id="727",
        number="727",
        updated_at=T0,
        order=new_order("727", telegram_id=OLENA.id),
    )
    received = await receive(db, ctx, connection_id, remote)
    assert received.order_id is not None
    return received.order_id


async def platform_rows(db):
    async with db.uow() as uow:
        return [r for r in await uow.outbox.pending(100) if r.channel == "platform"]


async def test_a_confirmation_updates_the_platform_once_with_a_note(
    db, ctx, calls, adapter, order_id
):
    assert await platform_rows(db) == []  # the order came from the platform: nothing to say yet
    await confirmation.confirm(db, ctx, order_id, OLENA, MessageRef(OLENA.id, 77))
    [row] = await platform_rows(db)
    assert row.order_id == order_id and row.payload["event"] == "order.confirmed"

    assert await calls.send(row) == Sent()
    [(status, update)] = adapter.applied
    assert status == "processing" and update.remote_id == "727"
    assert update.marker == f"[vykup:evt_{row.id}]"
    assert update.note == "Vykup: клієнт підтвердив замовлення в Telegram."
    assert calls.counts == {("woocommerce", "sent"): 1}
    async with db.uow() as uow:
        assert (await uow.connections.get(row.payload["connection"])).last_sent_at is not None


async def test_a_cancellation_carries_the_customers_reason(db, ctx, calls, adapter, order_id):
    await confirmation.cancel(
        db, ctx, order_id, OLENA, CancelReason.found_cheaper, "у сусідів дешевше", None
    )
    [row] = await platform_rows(db)
    assert await calls.send(row) == Sent()
    note = adapter.applied[0][1].note
    assert note.splitlines() == [
        "Vykup: замовлення скасовано в Telegram.",
        "Причина: Знайшов(-ла) дешевше",
        "Слова клієнта: у сусідів дешевше",
    ]


async def test_refused_credentials_stop_the_calls_and_tell_the_managers_once(
    db, ctx, calls, adapter, order_id
):
    await confirmation.confirm(db, ctx, order_id, OLENA, MessageRef(OLENA.id, 77))
    [row] = await platform_rows(db)
    adapter.fail_with = [PlatformRejected(401, "woocommerce_rest_cannot_view: Sorry")]
    outcome = await calls.send(row)
    assert isinstance(outcome, Retry) and outcome.reason == "platform_refused"
    assert outcome.not_before == SUSPENDED_RECHECK
    # Suspended: no call at all until the credentials are fixed, and no second alert.
    again = await calls.send(row)
    assert isinstance(again, Retry) and adapter.applied == [] and adapter.fail_with == []
    async with db.uow() as uow:
        alerts = [r for r in await uow.outbox.pending(100) if r.chat_id == ctx.manager_chat_id]
        connection = await uow.connections.get(row.payload["connection"])
    assert connection.state == "suspended" and "401" in connection.problem
    assert len([a for a in alerts if "WooCommerce" in a.payload["text"]]) == 1
    assert calls.counts[("woocommerce", "refused")] == 1


async def test_a_busy_platform_is_retried_when_it_asks(db, ctx, calls, adapter, order_id):
    await confirmation.confirm(db, ctx, order_id, OLENA, MessageRef(OLENA.id, 77))
    [row] = await platform_rows(db)
    adapter.fail_with = [
        PlatformRejected(429, "Too Many Requests", retry_after=timedelta(seconds=30)),
        PlatformRejected(404, "woocommerce_rest_shop_order_invalid_id"),
    ]
    busy = await calls.send(row)
    assert isinstance(busy, Retry) and busy.not_before == timedelta(seconds=30)
    gone = await calls.send(row)
    assert isinstance(gone, Failed) and "404" in gone.error


async def test_a_removed_connection_fails_its_waiting_calls(db, ctx, calls, adapter, order_id):
    await confirmation.confirm(db, ctx, order_id, OLENA, MessageRef(OLENA.id, 77))
    [row] = await platform_rows(db)
    assert await forget_connection(db, "woocommerce")
    outcome = await calls.send(row)
    assert isinstance(outcome, Failed) and outcome.reason == "gone"
    async with db.uow() as uow:
        assert (await uow.orders.get(order_id)).connection_id is None


async def test_a_named_order_is_fetched_and_taken_in(db, ctx, calls, adapter, order_id):
    adapter.orders["800"] = RemoteOrder(
        remote_id="800", number="800", updated_at=T0, order=new_order("800")
    )
    async with db.uow() as uow:
        link = await uow.connections.link_of_order(order_id)
        queue_fetch(uow, link[1].id, "800")
        await uow.commit()
    [row] = await platform_rows(db)
    adapter.fail_with = [PlatformRejected(503, "Service Unavailable")]
    assert isinstance(await calls.send(row), Retry)
    assert await calls.send(row) == Sent()
    async with db.uow() as uow:
        fetched = await uow.orders.by_external_id("800")
    assert fetched.status == OrderStatus.new and fetched.connection_id == link[1].id


async def test_a_fetched_order_the_shop_api_would_refuse_is_not_stored(
    db, ctx, calls, adapter, order_id
):
    blank_name = replace(new_order("801"), customer_name="   ")
    adapter.orders["801"] = RemoteOrder(
        remote_id="801", number="801", updated_at=T0, order=blank_name
    )
    async with db.uow() as uow:
        link = await uow.connections.link_of_order(order_id)
        queue_fetch(uow, link[1].id, "801")
        await uow.commit()
    [row] = await platform_rows(db)
    outcome = await calls.send(row)
    assert isinstance(outcome, Failed) and "customer.name" in outcome.error
    async with db.uow() as uow:
        assert await uow.orders.by_external_id("801") is None


async def test_a_call_refused_while_the_owner_reconnects_is_not_put_off_after_the_fix(
    db, ctx, calls, adapter, order_id
):
    """The worker read "suspended" (or was refused) just before ``vykup connect`` fixed the
    credentials and woke the waiting calls: recording its retry must not put the call off for
    ``SUSPENDED_RECHECK`` after the wake, or "waiting updates go out now" waits an hour."""
    await confirmation.confirm(db, ctx, order_id, OLENA, MessageRef(OLENA.id, 77))
    [row] = await platform_rows(db)
    adapter.fail_with = [PlatformRejected(401, "woocommerce_rest_cannot_view: Sorry")]
    outcome = await calls.send(row)
    assert isinstance(outcome, Retry) and outcome.reason == "platform_refused"
    async with db.uow() as uow:  # the owner's `vykup connect` commits meanwhile
        connection = await uow.connections.get(row.payload["connection"], for_update=True)
        connection.state = "active"
        connection.problem = None
        assert await uow.connections.wake_calls(connection.id) == 1
        await uow.commit()
    deliverer = Deliverer(
        db,
        None,  # type: ignore[arg-type] - no Telegram call is made
        calls._http,
        settings=DeliverySettings(
            webhook_secret=None,
            telegram_backoff=TELEGRAM_BACKOFF,
            webhook_backoff=WEBHOOK_BACKOFF,
            webhook_timeout=5,
            concurrency=1,
            draw=lambda: 0.0,
        ),
        limiter=RateLimiter(),
        on_unreachable=_nobody,
        platform_calls=calls,
        stats=DeliveryStats(),
        logger=logging.getLogger("test"),
    )
    await deliverer.record(row, outcome)
    [waiting] = await platform_rows(db)
    assert waiting.next_attempt_at <= db.clock.now()  # due now: it goes out at once


async def _nobody(chat_id: int) -> None:
    raise AssertionError("no chat is unreachable here")
