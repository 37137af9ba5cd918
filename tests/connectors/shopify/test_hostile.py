"""Bodies no honest Shopify sends: each is refused with InvalidInbound naming the field, and
nothing else ever escapes ``parse``."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bot.connectors.base import MAX_INBOUND_BYTES, ConnectionInfo, InvalidInbound, SkipReason
from bot.connectors.shopify import ShopifyAdapter
from tests.connectors.fakes.shopify import load_sample, ukrainian_cod_order

TOPIC = {"X-Shopify-Topic": "orders/create"}


def cod_order() -> dict[str, Any]:
    order = load_sample()
    order.update(ukrainian_cod_order())
    return order


def refused(adapter: ShopifyAdapter, connection: ConnectionInfo, body: bytes) -> InvalidInbound:
    with pytest.raises(InvalidInbound) as caught:
        adapter.parse(connection, TOPIC, body)
    return caught.value


def encode(order: Any) -> bytes:
    return json.dumps(order, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "body", [b"not json", b"\xff\xfe", b"", b"[" * 100_000, b'{"id": 1', b"1" * 5000]
)
def test_a_body_that_is_not_json_is_refused(
    adapter: ShopifyAdapter, connection: ConnectionInfo, body: bytes
) -> None:
    assert refused(adapter, connection, body).field == "body"


@pytest.mark.parametrize("body", [b"[]", b"[{}]", b'"order"', b"null", b"42"])
def test_a_body_that_is_not_an_object_is_refused(
    adapter: ShopifyAdapter, connection: ConnectionInfo, body: bytes
) -> None:
    assert refused(adapter, connection, body).field == "body"


def test_a_body_beyond_the_inbound_limit_is_refused(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    order = cod_order()
    order["note"] = "x" * MAX_INBOUND_BYTES
    assert refused(adapter, connection, encode(order)).field == "body"


def test_a_missing_topic_is_refused(adapter: ShopifyAdapter, connection: ConnectionInfo) -> None:
    with pytest.raises(InvalidInbound) as caught:
        adapter.parse(connection, {}, encode(cod_order()))
    assert caught.value.field == "X-Shopify-Topic"


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("id",), None, "id"),
        (("id",), "abc", "id"),
        (("id",), -5, "id"),
        (("id",), True, "id"),
        (("id",), 1.5, "id"),
        (("name",), None, "name"),
        (("name",), 1001, "name"),
        (("name",), "#" + "9" * 100, "name"),
        (("updated_at",), "yesterday", "updated_at"),
        (("updated_at",), "2026-07-01T10:00:00", "updated_at"),  # no offset
        (("updated_at",), 20260701, "updated_at"),
        (("currency",), "ГРН", "currency"),
        (("currency",), "XYZ", "currency"),
        (("currency",), None, "currency"),
        (("current_total_price",), "-10.00", "current_total_price"),
        (("current_total_price",), "1e12", "current_total_price"),
        (("current_total_price",), "NaN", "current_total_price"),
        (("current_total_price",), "12.345", "current_total_price"),
        (("current_total_price",), {"amount": "1"}, "current_total_price"),
        (("current_total_price",), "9" * 5000, "current_total_price"),
        (("total_price",), "-1", "total_price"),
        (("line_items",), {"0": {}}, "line_items"),
        (("line_items",), [], "line_items"),
        (("line_items",), ["IPod"], "line_items[0]"),
        (("line_items", 1, "quantity"), "1", "line_items[1].quantity"),
        (("line_items", 1, "quantity"), -1, "line_items[1].quantity"),
        (("line_items", 1, "quantity"), 10**9, "line_items[1].quantity"),
        (("line_items", 1, "price"), "-199.00", "line_items[1].price"),
        (("line_items", 1, "price"), None, "line_items[1].price"),
        (("line_items", 1, "title"), None, "line_items[1].title"),
        (("line_items", 1, "title"), "x" * 100_000, "line_items[1].title"),
        (("line_items", 1, "title"), "iPod\x00", "line_items[1].title"),
        (("line_items", 1, "sku"), "S" * 65, "line_items[1].sku"),
        (("line_items", 1, "sku"), 12345, "line_items[1].sku"),
        (("payment_gateway_names",), "Cash on Delivery (COD)", "payment_gateway_names"),
        (("payment_gateway_names",), [None], "payment_gateway_names"),
        (("shipping_address",), "Київ", "shipping_address"),
        (("shipping_address", "city"), ["Київ"], "shipping_address.city"),
        (("shipping_address", "city"), None, "shipping_address.city"),
        (("shipping_lines",), {"title": "NP"}, "shipping_lines"),
        (("customer_locale",), 7, "customer_locale"),
        (("fulfillments",), [1], "fulfillments[0]"),
        (("cancelled_at",), "soon", "cancelled_at"),
    ],
)
def test_a_field_of_the_wrong_type_or_value_is_named(
    adapter: ShopifyAdapter,
    connection: ConnectionInfo,
    path: tuple[str | int, ...],
    value: Any,
    field: str,
) -> None:
    order = cod_order()
    holder: Any = order
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    assert refused(adapter, connection, encode(order)).field == field


def many_lines(count: int) -> dict[str, Any]:
    order = cod_order()
    line = order["line_items"][1]
    order["line_items"] = [
        {**copy.deepcopy(line), "id": index, "sku": f"SKU-{index}"} for index in range(count)
    ]
    return order


def test_a_hundred_lines_are_taken_in(adapter: ShopifyAdapter, connection: ConnectionInfo) -> None:
    remote = adapter.parse(connection, TOPIC, encode(many_lines(100))).order
    assert remote is not None and remote.order is not None
    assert len(remote.order.items) == 100


@pytest.mark.parametrize("count", [101, 500])
def test_more_lines_than_vykup_takes_are_recorded_not_cut_short(
    adapter: ShopifyAdapter, connection: ConnectionInfo, count: int
) -> None:
    # A shortened order would be confirmed by the customer as something it is not; a refused
    # delivery would be retried by Shopify and cost the subscription: recorded, nobody asked.
    remote = adapter.parse(connection, TOPIC, encode(many_lines(count))).order
    assert remote is not None and remote.order is None
    assert remote.skipped is SkipReason.too_many_items


def test_a_line_of_500_pieces_is_fine(adapter: ShopifyAdapter, connection: ConnectionInfo) -> None:
    order = cod_order()
    order["line_items"][1].update(quantity=500, current_quantity=500)
    remote = adapter.parse(connection, TOPIC, encode(order)).order
    assert remote is not None and remote.order is not None
    assert remote.order.items[0].quantity == 500


def test_huge_strings_where_they_are_not_read_do_no_harm(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    order = cod_order()
    order["landing_site"] = "x" * 1_000_000
    remote = adapter.parse(connection, TOPIC, encode(order)).order
    assert remote is not None and remote.order is not None


def test_a_skipped_order_is_still_read_strictly(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    order = load_sample()  # not cash on delivery
    order["total_price"] = "-5"
    order["current_total_price"] = None
    assert refused(adapter, connection, encode(order)).field == "total_price"
