"""``vykup connect woocommerce``: the key checked, Vykup's webhooks made once, removed on request,
and what the shop's own webhooks then deliver."""

from __future__ import annotations

from dataclasses import replace

import aiohttp
import pytest

from bot.connectors.base import ConnectFailed, ConnectionInfo, InboundKind
from bot.connectors.woocommerce import WooCommerceAdapter
from tests.connectors.fakes.woocommerce import FakeWooCommerce
from tests.connectors.woocommerce.conftest import Receiver, with_credentials


async def test_a_good_key_gives_the_shops_name(
    adapter: WooCommerceAdapter, http: aiohttp.ClientSession, connection: ConnectionInfo
) -> None:
    assert await adapter.check(http, connection) == "Квіти Полтави"


async def test_a_wrong_secret_is_a_401_in_one_line(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    with pytest.raises(ConnectFailed) as failed:
        await adapter.check(http, with_credentials(connection, fake.key, "cs_wrong"))
    line = str(failed.value)
    assert "WooCommerce refused the key (401" in line and "Consumer secret is invalid." in line
    assert "\n" not in line


async def test_an_unknown_or_revoked_key_is_a_401(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    fake.revoke_key()
    with pytest.raises(ConnectFailed, match=r"refused the key \(401 woocommerce_rest_cannot_view"):
        await adapter.check(http, connection)


async def test_an_unreachable_shop_is_named(
    adapter: WooCommerceAdapter, http: aiohttp.ClientSession, connection: ConnectionInfo
) -> None:
    gone = replace(connection, api_url="http://127.0.0.1:9")
    with pytest.raises(ConnectFailed, match=r"http://127\.0\.0\.1:9 cannot be reached"):
        await adapter.check(http, gone)


async def test_a_write_only_key_lacks_the_read_permission(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    fake.set_key_permissions("write")
    with pytest.raises(ConnectFailed, match="no read permission"):
        await adapter.check(http, connection)


async def test_a_user_who_may_not_manage_woocommerce_is_a_403(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    fake.remove_capability()
    with pytest.raises(ConnectFailed, match=r"permission to manage WooCommerce \(403"):
        await adapter.check(http, connection)


async def test_register_makes_both_webhooks_with_the_connections_secret_and_they_are_pinged(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
    receiver: Receiver,
) -> None:
    registration = await adapter.register(http, connection)
    assert [line.split(" (id")[0] for line in registration.done] == [
        "Registered the order.created webhook",
        "Registered the order.updated webhook",
    ]
    hooks = sorted(fake.webhooks.values(), key=lambda hook: hook.topic)
    assert [(h.topic, h.name, h.status) for h in hooks] == [
        ("order.created", "Vykup: order.created", "active"),
        ("order.updated", "Vykup: order.updated", "active"),
    ]
    assert all(
        h.delivery_url == receiver.url and h.secret == connection.signing_secret for h in hooks
    )
    assert fake.ignored_fields == []
    await fake.settle()
    pings = [d for d in fake.deliveries if d.topic == "ping"]
    assert sorted(p.body for p in pings) == sorted(f"webhook_id={h.id}".encode() for h in hooks)
    for ping in receiver.received:  # what Vykup's route gets, and must answer 200
        assert adapter.verify(connection, ping.headers, ping.body)
        assert adapter.parse(connection, ping.headers, ping.body).kind is InboundKind.ping


async def test_register_twice_changes_nothing_and_says_so(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    await adapter.register(http, connection)
    before = {h.id: (h.topic, h.status, h.delivery_url) for h in fake.webhooks.values()}
    again = await adapter.register(http, connection)
    assert {h.id: (h.topic, h.status, h.delivery_url) for h in fake.webhooks.values()} == before
    assert all("already registered" in line for line in again.done) and len(again.done) == 2


async def test_register_after_a_lost_database_sets_the_new_secret(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    await adapter.register(http, connection)
    await adapter.register(http, replace(connection, signing_secret="a-new-secret"))
    assert {h.secret for h in fake.webhooks.values()} == {"a-new-secret"}


async def test_a_disabled_webhook_is_re_activated_and_said_so(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    hook = fake.add_webhook("order.created", connection.webhook_url, status="disabled")
    registration = await adapter.register(http, connection)
    assert (
        f"The order.created webhook was disabled: re-activated (id {hook.id})" in registration.done
    )
    assert fake.webhooks[hook.id].status == "active" and len(fake.webhooks) == 2


async def test_webhooks_of_other_addresses_are_left_alone_across_pages(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    others = [fake.add_webhook("order.updated", f"https://crm.example/{n}") for n in range(150)]
    ours = fake.add_webhook("order.updated", connection.webhook_url)  # on the second page
    registration = await adapter.register(http, connection)
    assert f"The order.updated webhook is already registered (id {ours.id})" in registration.done
    assert all(hook.id in fake.webhooks for hook in others) and len(fake.webhooks) == 152


async def test_a_read_only_key_cannot_register_and_is_told_why(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    fake.set_key_permissions("read")
    assert await adapter.check(http, connection) == "Квіти Полтави"
    with pytest.raises(
        ConnectFailed, match=r"no write permission \(401 .*does not have write permissions"
    ):
        await adapter.register(http, connection)
    assert fake.webhooks == {}


async def test_unregister_removes_ours_only(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    theirs = fake.add_webhook("order.created", "https://crm.example/hook")
    await adapter.register(http, connection)
    done = await adapter.unregister(http, connection)
    assert len(done) == 2 and all(line.startswith("Removed the order.") for line in done)
    assert list(fake.webhooks) == [theirs.id]
    assert await adapter.unregister(http, connection) == [
        f"No webhook of this shop delivers to {connection.webhook_url}: nothing to remove"
    ]


async def test_an_order_placed_in_the_shop_arrives_signed_and_is_read(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
    receiver: Receiver,
) -> None:
    await adapter.register(http, connection)
    await fake.settle()
    receiver.received.clear()
    while not receiver.arrived.empty():
        receiver.arrived.get_nowait()
    placed = await fake.create_order(
        payment_method="cod",
        billing={**fake_billing(), "phone": "050 123 45 67"},
    )
    delivery = await receiver.next()
    assert delivery.headers["X-WC-Webhook-Topic"] == "order.created"
    assert adapter.verify(connection, delivery.headers, delivery.body)
    inbound = adapter.parse(connection, delivery.headers, delivery.body)
    assert inbound.order is not None and inbound.order.remote_id == str(placed["id"])
    assert inbound.order.order is not None and inbound.order.order.phone == "+380501234567"
    tampered = delivery.body.replace(b"050 123 45 67", b"050 123 45 68")
    assert not adapter.verify(connection, delivery.headers, tampered)


def fake_billing() -> dict[str, str]:
    return {
        "first_name": "Олена",
        "last_name": "Коваль",
        "company": "",
        "address_1": "Відділення №5",
        "address_2": "",
        "city": "Полтава",
        "state": "",
        "postcode": "36000",
        "country": "UA",
        "email": "olena@example.com",
    }
