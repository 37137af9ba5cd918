"""Vykup's events on the Shopify order: tags, a note per event (once), an optional cancel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from bot.connectors.base import ConnectionInfo, PlatformRejected, PlatformUpdate
from bot.connectors.shopify import ShopifyAdapter
from bot.connectors.shopify.mapping import DEFAULT_MAPPING
from bot.domain.shop_events import ShopEvent
from tests.connectors.fakes.shopify import FakeShopify, ukrainian_cod_order


async def new_order(fake: FakeShopify, **changes: Any) -> str:
    order = await fake.create_order(deliver=False, **{**ukrainian_cod_order(), **changes})
    return str(order["id"])


def update(
    remote_id: str, event: ShopEvent, note: str | None = "Customer confirmed", n: int = 1
) -> PlatformUpdate:
    return PlatformUpdate(remote_id=remote_id, event=event, note=note, marker=f"vykup:evt_{n}")


@pytest.mark.parametrize(("event", "tag"), list(DEFAULT_MAPPING.items()))
async def test_every_mapped_event_tags_and_notes_the_order(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
    event: ShopEvent,
    tag: str,
) -> None:
    remote_id = await new_order(fake, tags="VIP")
    await adapter.apply(http, connection, update(remote_id, event, note=f"Vykup: {event.value}"))
    order = fake.orders[remote_id]
    assert fake.order_tags(remote_id) == ["VIP", tag]
    assert order["note"] == f"Vykup: {event.value} vykup:evt_1"
    assert order["cancelled_at"] is None  # cancelling is the owner's choice (cancel_orders)


async def test_the_same_update_twice_adds_one_note_and_one_tag(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    remote_id = await new_order(fake, note="Call before 18:00")
    confirmed = update(remote_id, ShopEvent.order_confirmed)
    await adapter.apply(http, connection, confirmed)
    await adapter.apply(http, connection, confirmed)
    assert fake.orders[remote_id]["note"] == "Call before 18:00\nCustomer confirmed vykup:evt_1"
    assert fake.order_tags(remote_id) == ["vykup-confirmed"]
    # A second event adds its own line below; the shop's text stays first.
    await adapter.apply(
        http, connection, update(remote_id, ShopEvent.shipment_received, "Received", 2)
    )
    assert fake.orders[remote_id]["note"].splitlines() == [
        "Call before 18:00",
        "Customer confirmed vykup:evt_1",
        "Received vykup:evt_2",
    ]


async def test_an_event_without_a_note_only_tags(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    remote_id = await new_order(fake)
    await adapter.apply(http, connection, update(remote_id, ShopEvent.order_on_hold, note=None))
    assert fake.orders[remote_id]["note"] is None
    assert fake.order_tags(remote_id) == ["vykup-on-hold"]


async def test_the_owners_mapping_wins_and_empty_means_note_only(
    adapter: ShopifyAdapter, http: aiohttp.ClientSession, connect: Any, fake: FakeShopify
) -> None:
    remote_id = await new_order(fake)
    mapped = connect(mapping={"order.confirmed": "ok-to-ship", "order.on_hold": ""})
    await adapter.apply(http, mapped, update(remote_id, ShopEvent.order_confirmed, n=1))
    await adapter.apply(http, mapped, update(remote_id, ShopEvent.order_on_hold, "Held", n=2))
    assert fake.order_tags(remote_id) == ["ok-to-ship"]
    assert "Held vykup:evt_2" in fake.orders[remote_id]["note"]


async def test_an_unmapped_event_only_notes(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    remote_id = await new_order(fake)
    await adapter.apply(
        http, connection, update(remote_id, ShopEvent.shipment_arrived, "At the branch")
    )
    assert fake.order_tags(remote_id) == []
    assert fake.orders[remote_id]["note"] == "At the branch vykup:evt_1"


async def test_cancel_orders_cancels_once_with_restock_and_no_email(
    adapter: ShopifyAdapter, http: aiohttp.ClientSession, connect: Any, fake: FakeShopify
) -> None:
    remote_id = await new_order(fake)
    cancelling = connect(options={"cancel_orders": "1"})
    cancelled = update(remote_id, ShopEvent.order_cancelled, "Customer cancelled: found cheaper")
    await adapter.apply(http, cancelling, cancelled)
    await adapter.apply(http, cancelling, cancelled)
    order = fake.orders[remote_id]
    assert order["cancelled_at"] is not None and order["cancel_reason"] == "customer"
    cancels = [c["variables"] for c in fake.calls if c["root"] == ["orderCancel"]]
    assert cancels == [
        {
            "orderId": f"gid://shopify/Order/{remote_id}",
            "reason": "CUSTOMER",
            "restock": True,
            "notifyCustomer": False,
            "staffNote": "Customer cancelled: found cheaper",
        }
    ]
    assert fake.order_tags(remote_id) == ["vykup-cancelled"]


async def test_an_order_the_shop_cancelled_itself_is_not_cancelled_again(
    adapter: ShopifyAdapter, http: aiohttp.ClientSession, connect: Any, fake: FakeShopify
) -> None:
    remote_id = await new_order(fake, cancelled_at="2026-07-01T10:00:00+03:00")
    await adapter.apply(
        http, connect(options={"cancel_orders": "1"}), update(remote_id, ShopEvent.order_cancelled)
    )
    assert not [c for c in fake.calls if c["root"] == ["orderCancel"]]


async def test_a_missing_order_is_a_404_and_changes_nothing(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update("999", ShopEvent.order_confirmed))
    assert rejected.value.status == 404
    assert [c["root"] for c in fake.calls] == [["order"]]


async def test_a_throttled_call_is_a_429_with_the_wait_the_bucket_needs(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    remote_id = await new_order(fake)
    fake.throttle_next()
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update(remote_id, ShopEvent.order_confirmed))
    assert rejected.value.status == 429 and rejected.value.worth_retrying
    # The fake's bucket: 250 points asked, 0 there, 100 a second back.
    assert rejected.value.retry_after == timedelta(seconds=3)


async def test_an_http_429_carries_its_retry_after(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    remote_id = await new_order(fake)
    fake.fail_next(429, retry_after="2.0")
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update(remote_id, ShopEvent.order_confirmed))
    assert rejected.value.status == 429
    # "2.0" is not RFC 9110 delay-seconds; Shopify's REST docs show it so. Not honoured.
    fake.fail_next(429, retry_after="7")
    with pytest.raises(PlatformRejected) as again:
        await adapter.apply(http, connection, update(remote_id, ShopEvent.order_confirmed))
    assert again.value.retry_after == timedelta(seconds=7)


async def test_a_server_error_is_worth_retrying(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    remote_id = await new_order(fake)
    fake.fail_next(500)
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update(remote_id, ShopEvent.order_confirmed))
    assert rejected.value.status == 500 and rejected.value.worth_retrying


async def test_a_failure_between_two_calls_is_retried_without_repeating_what_landed(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connect: Callable[..., ConnectionInfo],
    fake: FakeShopify,
) -> None:
    connection = connect(options={"cancel_orders": "1"})
    remote_id = await new_order(fake)
    cancelled = update(remote_id, ShopEvent.order_cancelled, "Cancelled: too expensive")
    fake.fail_next(500, on="orderCancel")  # the tag and the note land; the cancel fails
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, cancelled)
    assert rejected.value.worth_retrying
    assert fake.orders[remote_id]["cancelled_at"] is None
    await adapter.apply(http, connection, cancelled)  # the worker's retry
    assert fake.order_tags(remote_id) == ["vykup-cancelled"]
    assert fake.orders[remote_id]["note"] == "Cancelled: too expensive vykup:evt_1"
    assert fake.orders[remote_id]["cancelled_at"] is not None
    roots = [c["root"][0] for c in fake.calls]
    assert roots == ["order", "tagsAdd", "orderUpdate", "order", "orderCancel"]


async def test_a_revoked_token_is_credentials_refused(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    remote_id = await new_order(fake)
    fake.revoke_token()
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update(remote_id, ShopEvent.order_confirmed))
    assert rejected.value.status == 401 and rejected.value.credentials_refused
    assert "Invalid API key or access token" in rejected.value.message


async def test_a_lost_write_permission_is_credentials_refused(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    remote_id = await new_order(fake)
    fake.remove_scope("write_orders")
    fake.scopes.add("read_orders")
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update(remote_id, ShopEvent.order_confirmed))
    assert rejected.value.status == 403 and rejected.value.credentials_refused
    assert "write_orders" in rejected.value.message
    assert fake.order_tags(remote_id) == []


async def test_an_unreachable_shop_is_status_0(
    adapter: ShopifyAdapter, http: aiohttp.ClientSession, connect: Any
) -> None:
    from tests.net import free_port

    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(
            http,
            connect(api_url=f"http://127.0.0.1:{free_port()}"),
            update("1", ShopEvent.order_confirmed),
        )
    assert rejected.value.status == 0 and rejected.value.worth_retrying
