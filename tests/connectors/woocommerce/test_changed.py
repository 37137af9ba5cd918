"""The catch-up's list: orders changed after a moment, oldest change first, read as UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.connectors.base import ConnectionInfo, PlatformRejected, SkipReason
from bot.connectors.woocommerce import WooCommerceAdapter
from tests.connectors.fakes.woocommerce import FakeWooCommerce


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


async def test_orders_changed_after_the_moment_are_listed_oldest_first(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    orders = [await fake.create_order(payment_method="cod") for _ in range(3)]
    for order, minutes in zip(orders, (-30, 2, 1), strict=True):
        fake.orders[order["id"]]["date_modified_gmt"] = stamp(now + timedelta(minutes=minutes))
    page = await adapter.changed_since(http, connection, now)
    assert page is not None and not page.more
    assert [o.remote_id for o in page.orders] == [str(orders[2]["id"]), str(orders[1]["id"])]
    assert page.until == now + timedelta(minutes=2)
    # The sample's phone is not a real number: listed, and skipped as the webhook would be.
    assert {o.skipped for o in page.orders} == {SkipReason.no_phone}
    assert fake.ignored_fields == []  # modified_after was sent with dates_are_gmt


async def test_an_unreadable_order_does_not_hold_the_list_back(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    broken = await fake.create_order(payment_method="cod")
    fake.orders[broken["id"]].update(
        id="not a number", date_modified_gmt=stamp(now + timedelta(minutes=3))
    )
    page = await adapter.changed_since(http, connection, now)
    assert page is not None and page.orders == []
    assert page.until == now + timedelta(minutes=3)  # the next look starts past it


async def test_a_refused_key_is_said_as_such(
    adapter: WooCommerceAdapter,
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    fake: FakeWooCommerce,
) -> None:
    fake.revoke_key()
    with pytest.raises(PlatformRejected) as refused:
        await adapter.changed_since(http, connection, datetime.now(UTC))
    assert refused.value.credentials_refused
