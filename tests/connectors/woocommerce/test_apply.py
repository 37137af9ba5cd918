"""Vykup's events told to the shop: the order's status and a note, as the admin then shows them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import aiohttp
import pytest

from bot.connectors.base import ConnectionInfo, PlatformRejected, PlatformUpdate
from bot.connectors.woocommerce import WooCommerceAdapter
from bot.connectors.woocommerce.mapping import DEFAULT_MAPPING
from bot.domain.shop_events import ShopEvent
from tests.connectors.fakes.woocommerce import FakeWooCommerce


def update(
    order_id: int, event: ShopEvent, note: str | None = "Клієнт підтвердив замовлення", n: int = 1
) -> PlatformUpdate:
    return PlatformUpdate(str(order_id), event, note, marker=f"vykup:evt_{n}")


@pytest.mark.parametrize("event", list(DEFAULT_MAPPING))
async def test_every_mapped_event_shows_its_status_and_note(
    event: ShopEvent,
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    order = await fake.create_order(status="pending", payment_method="cod")
    await adapter.apply(
        http, connection, update(order["id"], event, note=f"Vykup: {event.value}", n=7)
    )
    expected = DEFAULT_MAPPING[event] or "pending"
    assert fake.status_of(order["id"]) == expected
    texts = fake.note_texts(order["id"])
    assert f"<p>Vykup: {event.value}<br />\nvykup:evt_7</p>\n" in texts
    # WooCommerce's own note of the move, written when the status changed.
    changed = [t for t in texts if t.startswith("<p>Order status changed")]
    assert len(changed) == (1 if DEFAULT_MAPPING[event] else 0)
    assert fake.ignored_fields == []


async def test_the_same_update_applied_twice_adds_one_note(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    order = await fake.create_order(status="pending", payment_method="cod")
    once = update(order["id"], ShopEvent.order_confirmed)
    await adapter.apply(http, connection, once)
    await adapter.apply(http, connection, once)
    notes = fake.note_texts(order["id"])
    assert sum("vykup:evt_1" in note for note in notes) == 1
    assert notes.count("<p>Order status changed from Pending payment to Processing.</p>\n") == 1
    puts = [c for c in fake.calls if c.method == "PUT"]
    assert len(puts) == 1  # the second call found the status already set


async def test_a_second_event_adds_its_own_note(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    order = await fake.create_order(status="processing", payment_method="cod")
    await adapter.apply(
        http,
        connection,
        update(order["id"], ShopEvent.order_customer_unreachable, "Не відповідає", 1),
    )
    await adapter.apply(
        http,
        connection,
        update(order["id"], ShopEvent.order_customer_unreachable, "Знову не відповідає", 2),
    )
    assert len(fake.note_texts(order["id"])) == 2
    assert fake.status_of(order["id"]) == "processing"


async def test_no_note_means_only_the_status(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    order = await fake.create_order(status="processing", payment_method="cod")
    await adapter.apply(http, connection, update(order["id"], ShopEvent.order_cancelled, note=None))
    assert fake.status_of(order["id"]) == "cancelled"
    assert fake.note_texts(order["id"]) == [
        "<p>Order status changed from Processing to Cancelled.</p>\n"
    ]


async def test_the_connections_own_mapping_wins(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    from dataclasses import replace

    order = await fake.create_order(status="pending", payment_method="cod")
    mine = replace(connection, mapping={"order.confirmed": "on-hold", "order.cancelled": ""})
    await adapter.apply(http, mine, update(order["id"], ShopEvent.order_confirmed, n=1))
    assert fake.status_of(order["id"]) == "on-hold"
    await adapter.apply(http, mine, update(order["id"], ShopEvent.order_cancelled, n=2))
    assert fake.status_of(order["id"]) == "on-hold"


async def test_the_status_change_echoes_back_as_order_updated_without_moving_anything(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    await adapter.register(http, connection)
    order = await fake.create_order(status="pending", payment_method="cod")
    await adapter.apply(http, connection, update(order["id"], ShopEvent.order_confirmed))
    await fake.settle()
    echoes = [d for d in fake.deliveries if d.topic == "order.updated"]
    assert len(echoes) == 1
    inbound = adapter.parse(connection, echoes[0].headers, echoes[0].body)
    assert inbound.order is not None and inbound.order.status is None


async def test_a_429_is_rejected_with_its_retry_after(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    order = await fake.create_order(status="pending", payment_method="cod")
    fake.fail_next(429, retry_after="30")
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update(order["id"], ShopEvent.order_confirmed))
    assert rejected.value.status == 429 and rejected.value.retry_after == timedelta(seconds=30)
    assert rejected.value.worth_retrying and not rejected.value.credentials_refused
    assert fake.status_of(order["id"]) == "pending"


async def test_a_500_is_worth_retrying(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    order = await fake.create_order(status="pending", payment_method="cod")
    fake.fail_next(500)
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update(order["id"], ShopEvent.order_confirmed))
    assert rejected.value.status == 500 and rejected.value.worth_retrying
    assert "critical error" in rejected.value.message


async def test_a_revoked_key_is_credentials_refused(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    order = await fake.create_order(status="pending", payment_method="cod")
    fake.revoke_key()
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update(order["id"], ShopEvent.order_confirmed))
    assert rejected.value.status == 401 and rejected.value.credentials_refused
    assert "woocommerce_rest_cannot_view" in rejected.value.message


async def test_a_lost_capability_is_credentials_refused(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    order = await fake.create_order(status="pending", payment_method="cod")
    fake.remove_capability()
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update(order["id"], ShopEvent.order_confirmed))
    assert rejected.value.status == 403 and rejected.value.credentials_refused


async def test_an_unreachable_shop_is_status_0(
    adapter: WooCommerceAdapter, http: aiohttp.ClientSession, connection: ConnectionInfo
) -> None:
    from dataclasses import replace

    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(
            http,
            replace(connection, api_url="http://127.0.0.1:9"),
            update(1, ShopEvent.order_confirmed),
        )
    assert rejected.value.status == 0 and rejected.value.worth_retrying


async def test_an_order_deleted_in_the_shop_is_a_404(
    adapter: WooCommerceAdapter, http: aiohttp.ClientSession, connection: ConnectionInfo
) -> None:
    with pytest.raises(PlatformRejected) as rejected:
        await adapter.apply(http, connection, update(4242, ShopEvent.order_confirmed))
    assert rejected.value.status == 404 and not rejected.value.worth_retrying


async def test_fetch_reads_the_order_through_the_api(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    order = await fake.create_order(status="on-hold", payment_method="cod")
    remote = await adapter.fetch(http, connection, str(order["id"]))
    assert remote.remote_id == str(order["id"]) and remote.status is not None
    assert remote.status.value == "on_hold"


async def test_the_customers_link_is_one_customer_note_or_with_the_option_a_private_one(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    order = await fake.create_order(status="processing", payment_method="cod")
    link = PlatformUpdate(
        str(order["id"]),
        None,
        "Vykup: the customer's link:",
        marker="https://t.me/vykup_bot?start=abc",
        customer_note="Confirm your order in Telegram:",
    )
    await adapter.apply(http, connection, link)
    await adapter.apply(http, connection, link)  # repeated after a crash: the link marks it
    assert fake.customer_notes(order["id"]) == [
        "<p>Confirm your order in Telegram:<br />\nhttps://t.me/vykup_bot?start=abc</p>\n"
    ]
    assert fake.status_of(order["id"]) == "processing"  # no event: no status change

    private = replace(connection, options={"customer_notes": "off"})
    other = await fake.create_order(status="processing", payment_method="cod")
    await adapter.apply(http, private, replace(link, remote_id=str(other["id"])))
    assert fake.customer_notes(other["id"]) == []
    assert fake.note_texts(other["id"])[-1].startswith("<p>Vykup: the customer's link:")
