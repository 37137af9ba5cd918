"""The refdata order (and Ukrainian variants of it) read into what Vykup takes in; hostile bodies
refused with the field that is wrong."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from bot.connectors.base import (
    ConnectionInfo,
    InboundKind,
    InvalidInbound,
    Platform,
    SkipReason,
    Tracking,
)
from bot.connectors.woocommerce import WooCommerceAdapter
from bot.connectors.woocommerce.orders import remote_order
from bot.domain.languages import Language
from bot.domain.orders import Carrier, OrderStatus, Payment
from tests.connectors.fakes.woocommerce import load_sample, wp_json

CONNECTION = ConnectionInfo(
    name="shop",
    platform=Platform.woocommerce,
    api_url="https://shop.example",
    credentials={"key": "ck_x", "secret": "cs_x"},
    signing_secret="s",
    webhook_url="https://vykup.example/connect/woocommerce/abc",
)


def ukrainian(**changes: Any) -> dict[str, Any]:
    """The refdata order as a Ukrainian cash-on-delivery shop sends it."""
    order: dict[str, Any] = load_sample()
    order["payment_method"] = "cod"
    order["payment_method_title"] = "Оплата при отриманні"
    order["currency"] = "UAH"
    order["billing"].update(phone="+38 (050) 123-45-67", city="Полтава", country="UA")
    order["shipping"].update(
        first_name="Олена",
        last_name="Коваль",
        city="Полтава",
        country="UA",
        address_1="Відділення №5: вул. Європейська, 20",
    )
    order["shipping_lines"][0].update(method_id="nova_poshta_shipping", method_title="Нова Пошта")
    order.update(changes)
    return order


def parse(body: Any, topic: str = "order.created") -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return WooCommerceAdapter().parse(CONNECTION, {"X-WC-Webhook-Topic": topic}, raw)


def test_the_refdata_order_is_read_whole() -> None:
    remote = remote_order(load_sample())
    assert remote.remote_id == "727" and remote.number == "727"
    assert remote.updated_at == datetime(2017, 3, 22, 19, 28, 8, tzinfo=UTC)  # *_gmt is UTC
    assert remote.status is None and remote.status_comment == "Processing"
    # "bacs" is a bank transfer: recorded, not taken in.
    assert remote.order is None and remote.skipped is SkipReason.not_cash_on_delivery


def test_the_refdata_order_paid_on_delivery_becomes_a_new_order() -> None:
    body = load_sample()
    body["payment_method"] = "cod"
    # The docs' "(555) 555-5555" is no real number: such an order waits for a phone.
    assert remote_order(body).skipped is SkipReason.no_phone
    body["billing"]["phone"] = "(415) 931-1234"
    order = remote_order(body).order
    assert order is not None
    assert order.external_id == "727"
    assert order.phone == "+14159311234"  # read in the billing country, US
    assert order.customer_name == "John Doe"
    assert order.total == Decimal("29.35") and order.currency == "USD"
    assert order.payment is Payment.cod
    assert order.carrier is Carrier.other  # flat_rate names no carrier
    assert order.city == "San Francisco" and order.address == "969 Market"
    assert order.created_at == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)
    first, second = order.items
    assert (first.name, first.sku, first.quantity, first.price) == (
        "Woo Single #1",
        None,
        2,
        Decimal("3.00"),
    )
    # "&ndash;" decoded; the unit price from the "12.00" string, not the float.
    assert second.name == "Ship Your Idea – Color: Black, Size: M Test"
    assert (second.sku, second.quantity, second.price) == ("Bar3", 1, Decimal("12.00"))


def test_a_ukrainian_nova_poshta_order_names_carrier_city_and_branch() -> None:
    order = remote_order(ukrainian()).order
    assert order is not None
    assert order.phone == "+380501234567"
    assert order.customer_name == "Олена Коваль"  # the recipient, from the shipping address
    assert order.carrier is Carrier.nova_poshta
    assert order.city == "Полтава"
    assert order.point == "Відділення №5: вул. Європейська, 20" and order.address is None
    assert order.currency == "UAH"


@pytest.mark.parametrize(
    ("method_id", "carrier"),
    [
        ("shipping_nova_poshta_for_woocommerce", Carrier.nova_poshta),
        ("nova_poshta_shipping_method_poshtomat", Carrier.nova_poshta),
        ("wcus_ukrposhta_shipping", Carrier.ukrposhta),
        ("meest_shipping", Carrier.meest),
        ("local_pickup", Carrier.pickup),
        ("my_courier", Carrier.courier),
        ("free_shipping", Carrier.other),
    ],
)
def test_the_carrier_comes_from_the_shipping_methods_id(method_id: str, carrier: Carrier) -> None:
    body = ukrainian()
    body["shipping_lines"][0]["method_id"] = method_id
    order = remote_order(body).order
    assert order is not None and order.carrier is carrier


def test_the_phone_comes_from_shipping_when_billing_has_none() -> None:
    body = ukrainian()
    body["billing"]["phone"] = ""
    body["shipping"]["phone"] = "0671112233"
    order = remote_order(body).order
    assert order is not None and order.phone == "+380671112233"


def test_an_order_without_a_usable_phone_is_skipped_not_refused() -> None:
    for phone in ("", "12", "not a phone"):
        body = ukrainian()
        body["billing"]["phone"] = phone
        remote = remote_order(body)
        assert remote.order is None and remote.skipped is SkipReason.no_phone, phone


def test_the_nova_poshta_plugins_cod_gateway_is_cash_on_delivery() -> None:
    remote = remote_order(ukrainian(payment_method="shipping_nova_poshta_for_woocommerce_cod"))
    assert remote.order is not None and remote.order.payment is Payment.cod


def test_the_city_falls_back_to_billing_and_none_at_all_is_refused() -> None:
    body = ukrainian()
    body["shipping"]["city"] = ""
    order = remote_order(body).order
    assert order is not None and order.city == "Полтава"
    body["billing"]["city"] = ""
    with pytest.raises(InvalidInbound) as refused:
        remote_order(body)
    assert refused.value.field == "shipping.city"


def test_a_card_paid_order_without_any_address_is_still_read() -> None:
    body = load_sample()
    body["shipping"] = None
    body["billing"]["city"] = ""
    assert remote_order(body).skipped is SkipReason.not_cash_on_delivery


def test_the_wpml_language_is_the_customers_language() -> None:
    body = ukrainian()
    body["meta_data"].append({"id": 1, "key": "wpml_language", "value": "uk"})
    order = remote_order(body).order
    assert order is not None and order.language is Language.uk
    body["meta_data"][-1]["value"] = "de"
    order = remote_order(body).order
    assert order is not None and order.language is None


@pytest.mark.parametrize(
    ("slug", "status"),
    [
        ("cancelled", OrderStatus.cancelled),
        ("trash", OrderStatus.cancelled),
        ("on-hold", OrderStatus.on_hold),
        ("processing", None),
        ("completed", None),
        ("pending", None),
        ("refunded", None),
        ("failed", None),
        ("wc-custom-shipped", None),
    ],
)
def test_only_the_shops_own_cancel_and_hold_move_the_order(
    slug: str, status: OrderStatus | None
) -> None:
    remote = remote_order(ukrainian(status=slug))
    assert remote.status is status
    assert remote.status_comment  # the admin's label or the custom slug, for the history


def test_a_waybill_from_the_shipment_tracking_plugin_is_tracking() -> None:
    body = ukrainian()
    body["meta_data"].append(
        {
            "id": 9,
            "key": "_wc_shipment_tracking_items",
            "value": [{"tracking_provider": "nova-poshta", "tracking_number": "20400048799001"}],
        }
    )
    assert remote_order(body).tracking == Tracking(Carrier.nova_poshta, "20400048799001")


def test_a_waybill_from_the_nova_poshta_plugins_is_tracking() -> None:
    body = ukrainian()
    body["meta_data"].append({"id": 9, "key": "novaposhta_ttn", "value": "59000777777777"})
    assert remote_order(body).tracking == Tracking(Carrier.nova_poshta, "59000777777777")
    body = ukrainian()
    body["shipping_lines"][0]["meta_data"] = [
        {"id": 3, "key": "internet_document", "value": "2040 0048 7990 01"}
    ]
    assert remote_order(body).tracking == Tracking(Carrier.nova_poshta, "20400048799001")


def test_a_malformed_waybill_is_no_tracking_and_no_refusal() -> None:
    body = ukrainian()
    body["meta_data"].append({"id": 9, "key": "novaposhta_ttn", "value": "soon"})
    assert remote_order(body).tracking is None


def test_an_order_body_delivered_as_a_webhook_is_an_order_inbound() -> None:
    inbound = parse(wp_json(ukrainian()))
    assert inbound.kind is InboundKind.order and inbound.topic == "order.created"
    assert inbound.order is not None and inbound.order.order is not None


@pytest.mark.parametrize(
    "topic", ["order.deleted", "order.restored", "product.updated", "action.woocommerce_x"]
)
def test_other_topics_are_ignored(topic: str) -> None:
    assert parse({"id": 727}, topic).kind is InboundKind.ignored


# -- hostile bodies ----------------------------------------------------------------------------


def refused(body: Any) -> str:
    with pytest.raises(InvalidInbound) as error:
        parse(body)
    return error.value.field


def test_a_body_that_is_not_json_is_refused() -> None:
    assert refused(b"<html>oops</html>") == "body"
    assert refused(b"\xff\xfe\x00") == "body"
    assert refused(b"[" * 100_000) == "body"


def test_a_json_array_is_refused() -> None:
    assert refused([ukrainian()]) == "body"


def test_a_missing_topic_header_is_refused() -> None:
    with pytest.raises(InvalidInbound) as error:
        WooCommerceAdapter().parse(CONNECTION, {}, wp_json(ukrainian()))
    assert error.value.field == "X-WC-Webhook-Topic"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": "seven"}, "id"),
        ({"id": -1}, "id"),
        ({"billing": ["x"]}, "billing"),
        ({"total": 29.35}, "total"),
        ({"total": "-5.00"}, "total"),
        ({"total": "1e30"}, "total"),
        ({"total": "NaN"}, "total"),
        ({"currency": "гривня"}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"line_items": {"0": {}}}, "line_items"),
        ({"line_items": []}, "line_items"),
        ({"line_items": [7]}, "line_items[0]"),
        ({"date_modified_gmt": "yesterday"}, "date_modified_gmt"),
        ({"date_modified_gmt": 1490210888}, "date_modified_gmt"),
        ({"meta_data": "x"}, "meta_data"),
        ({"shipping_lines": [None]}, "shipping_lines[0]"),
    ],
)
def test_wrong_types_and_absurd_values_name_the_field(change: dict[str, Any], field: str) -> None:
    assert refused(ukrainian(**change)) == field


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("quantity", "2", "line_items[0].quantity"),
        ("quantity", 0, "line_items[0].quantity"),
        ("quantity", 10**12, "line_items[0].quantity"),
        ("subtotal", "-1.00", "line_items[0].subtotal"),
        ("subtotal", None, "line_items[0].subtotal"),
        ("name", "", "line_items[0].name"),
        ("name", {"uk": "x"}, "line_items[0].name"),
        ("sku", "S" * 65, "line_items[0].sku"),
    ],
)
def test_a_wrong_line_item_names_the_item_and_field(key: str, value: Any, field: str) -> None:
    body = ukrainian()
    body["line_items"][0][key] = value
    assert refused(body) == field


def test_huge_strings_are_refused_by_their_field() -> None:
    body = ukrainian()
    body["shipping"]["city"] = "П" * 1_000_000
    assert refused(body) == "shipping.city"
    body = ukrainian()
    body["billing"]["first_name"] = "x" * 500
    body["shipping"]["first_name"] = ""
    body["shipping"]["last_name"] = ""
    assert refused(body) == "billing.first_name"


def test_a_control_character_in_a_name_is_refused() -> None:
    body = ukrainian()
    body["line_items"][0]["name"] = "Троянди\x00"
    assert refused(body) == "line_items[0].name"


def many_items(count: int) -> dict[str, Any]:
    body = ukrainian()
    item = body["line_items"][1]
    body["line_items"] = [{**item, "id": 1000 + n, "sku": f"SKU-{n}"} for n in range(count)]
    return body


def test_a_hundred_line_items_are_taken_in() -> None:
    remote = parse(many_items(100)).order
    assert remote is not None and remote.order is not None and len(remote.order.items) == 100


def test_more_than_a_hundred_line_items_are_recorded_not_cut() -> None:
    # NewOrder holds at most 100 items; cutting the rest would have the customer confirm an order
    # that is not theirs, and refusing the delivery would make WooCommerce disable the webhook
    # after five. 500 items (well within the 2 MB body limit) are read and recorded as too big.
    for count in (101, 500):
        body = many_items(count)
        assert len(wp_json(body)) < 2 * 1024 * 1024
        remote = parse(body).order
        assert remote.order is None and remote.skipped is SkipReason.too_many_items
