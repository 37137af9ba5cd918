"""``vykup connect shopify``: check, register (idempotent), unregister, against the fake shop."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import aiohttp
import pytest

from bot.connectors.base import ConnectFailed, ConnectionInfo
from bot.connectors.shopify import ShopifyAdapter
from tests.connectors.fakes.shopify import FakeShopify
from tests.net import free_port


async def test_check_answers_the_shops_name(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    assert await adapter.check(http, connection) == fake.shop_name


async def test_a_wrong_token_fails_with_shopifys_401_in_one_line(
    adapter: ShopifyAdapter, http: aiohttp.ClientSession, connect: Any
) -> None:
    wrong = connect(credentials={"token": "shpat_wrong", "client_secret": "s"})
    with pytest.raises(ConnectFailed) as failed:
        await adapter.check(http, wrong)
    text = str(failed.value)
    assert "401" in text and "Invalid API key or access token" in text
    assert "\n" not in text


async def test_an_unreachable_shop_is_named(
    adapter: ShopifyAdapter, http: aiohttp.ClientSession, connect: Any
) -> None:
    address = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ConnectFailed) as failed:
        await adapter.check(http, connect(api_url=address))
    assert address in str(failed.value)


async def test_a_wrong_address_is_a_404_explained(
    adapter: ShopifyAdapter, http: aiohttp.ClientSession, connection: ConnectionInfo
) -> None:
    with pytest.raises(ConnectFailed) as failed:
        await adapter.check(http, replace(connection, options={"api_version": "latest"}))
    assert "404" in str(failed.value) and "myshopify.com" in str(failed.value)


@pytest.mark.parametrize("scope", ["write_orders", "read_orders"])
async def test_a_missing_permission_is_named(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
    scope: str,
) -> None:
    fake.remove_scope(scope)
    with pytest.raises(ConnectFailed) as failed:
        await adapter.check(http, connection)
    assert scope in str(failed.value)


async def test_register_creates_the_order_webhooks(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    registration = await adapter.register(http, connection)
    topics = sorted(s["topic"] for s in fake.subscriptions.values())
    assert topics == ["ORDERS_CANCELLED", "ORDERS_CREATE", "ORDERS_UPDATED"]
    assert {s["uri"] for s in fake.subscriptions.values()} == {connection.webhook_url}
    assert all("registered" in line and "already" not in line for line in registration.done)
    assert any("orders/create" in line for line in registration.done)


async def test_register_twice_changes_nothing_and_says_so(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    await adapter.register(http, connection)
    before = dict(fake.subscriptions)
    again = await adapter.register(http, connection)
    assert fake.subscriptions == before
    assert len(again.done) == 3
    assert all("already registered" in line for line in again.done)


async def test_register_keeps_other_addresses_and_adds_what_is_missing(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    other = fake.subscribe("ORDERS_CREATE", "https://another.app/hook")
    kept = fake.subscribe("ORDERS_UPDATED", connection.webhook_url)
    registration = await adapter.register(http, connection)
    assert other in fake.subscriptions and kept in fake.subscriptions
    assert len(fake.subscriptions) == 4
    assert sum("already registered" in line for line in registration.done) == 1


async def test_a_refused_webhook_fails_with_shopifys_message(
    adapter: ShopifyAdapter, http: aiohttp.ClientSession, connect: Any
) -> None:
    with pytest.raises(ConnectFailed) as failed:
        await adapter.register(http, connect(webhook_url="ftp://vykup.example/hook"))
    assert "Address is invalid" in str(failed.value)


async def test_unregister_removes_only_ours(
    adapter: ShopifyAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeShopify,
) -> None:
    other = fake.subscribe("ORDERS_CREATE", "https://another.app/hook")
    await adapter.register(http, connection)
    done = await adapter.unregister(http, connection)
    assert list(fake.subscriptions) == [other]
    assert len(done) == 3 and all("removed" in line for line in done)
    assert "nothing removed" in (await adapter.unregister(http, connection))[0]
