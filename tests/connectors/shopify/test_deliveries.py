"""The fake shop's webhooks, received the way Vykup's route will: signed, read, in any order."""

from __future__ import annotations

from dataclasses import replace

import aiohttp

from bot.connectors.base import ConnectionInfo, InboundKind
from bot.connectors.shopify import ShopifyAdapter
from bot.domain.orders import Carrier, OrderStatus
from tests.connectors.fakes.shopify import FakeShopify, ukrainian_cod_order
from tests.connectors.shopify.conftest import Receiver


async def registered(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    receiver: tuple[Receiver, str],
) -> Receiver:
    listening, url = receiver
    listening.connection = replace(connection, webhook_url=url)
    await adapter.register(http, listening.connection)
    return listening


async def test_a_new_order_arrives_signed_and_readable(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
    receiver: tuple[Receiver, str],
) -> None:
    listening = await registered(adapter, http, connection, receiver)
    order = await fake.create_order(**ukrainian_cod_order())
    [delivery] = fake.deliveries
    assert delivery.status == 200
    assert set(delivery.headers) >= {
        "X-Shopify-Topic",
        "X-Shopify-Hmac-Sha256",
        "X-Shopify-Shop-Domain",
        "X-Shopify-API-Version",
        "X-Shopify-Webhook-Id",
        "X-Shopify-Event-Id",
        "X-Shopify-Triggered-At",
    }
    [got] = listening.received
    assert got.verified and got.topic == "orders/create"
    assert got.inbound is not None and got.inbound.order is not None
    assert got.inbound.order.remote_id == str(order["id"])
    assert got.inbound.order.order is not None
    assert got.inbound.order.order.carrier is Carrier.nova_poshta


async def test_an_update_may_come_before_the_create_and_both_carry_the_order(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
    receiver: tuple[Receiver, str],
) -> None:
    listening = await registered(adapter, http, connection, receiver)
    order = await fake.create_order(deliver=False, **ukrainian_cod_order())
    await fake.deliver("orders/updated", order["id"])
    await fake.deliver("orders/create", order["id"])
    topics = [r.topic for r in listening.received]
    assert topics == ["orders/updated", "orders/create"]
    assert all(r.inbound and r.inbound.kind is InboundKind.order for r in listening.received)


async def test_a_repeated_delivery_has_the_same_webhook_id(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
    receiver: tuple[Receiver, str],
) -> None:
    listening = await registered(adapter, http, connection, receiver)
    await fake.create_order(**ukrainian_cod_order())
    await fake.redeliver(fake.deliveries[0])
    first, second = listening.received
    assert first.webhook_id == second.webhook_id and second.verified


async def test_a_cancellation_and_a_waybill_in_the_admin_reach_vykup(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
    receiver: tuple[Receiver, str],
) -> None:
    listening = await registered(adapter, http, connection, receiver)
    order = await fake.create_order(**ukrainian_cod_order())
    await fake.fulfill(order["id"], "20450000000000", "Нова Пошта")
    # orders/fulfilled is not subscribed: orders/updated carries the waybill.
    assert [r.topic for r in listening.received] == ["orders/create", "orders/updated"]
    shipped = listening.received[-1].inbound
    assert shipped is not None and shipped.order is not None and shipped.order.tracking is not None
    assert shipped.order.tracking.number == "20450000000000"
    await fake.cancel_in_admin(order["id"])
    cancelled = listening.received[-1].inbound
    assert cancelled is not None and cancelled.order is not None
    assert cancelled.order.status is OrderStatus.cancelled


async def test_a_delivery_signed_with_another_secret_is_refused(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
    receiver: tuple[Receiver, str],
) -> None:
    listening = await registered(adapter, http, connection, receiver)
    fake.client_secret = "rotated-secret"
    await fake.create_order(**ukrainian_cod_order())
    assert [r.verified for r in listening.received] == [False]
    assert fake.deliveries[0].status == 401
