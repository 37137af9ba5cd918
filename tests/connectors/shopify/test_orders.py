"""The refdata orders, read as Vykup takes them in (topic orders/create)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from bot.connectors.base import (
    ConnectionInfo,
    InboundKind,
    RemoteOrder,
    SkipReason,
    Tracking,
)
from bot.connectors.shopify import ShopifyAdapter
from bot.domain.languages import Language
from bot.domain.new_order import NewItem
from bot.domain.orders import Carrier, OrderStatus, Payment
from tests.connectors.fakes.shopify import REFDATA, load_sample, ukrainian_cod_order

EASTERN = timezone(timedelta(hours=-5))


def read(
    adapter: ShopifyAdapter,
    connection: ConnectionInfo,
    order: dict[str, Any],
    topic: str = "orders/create",
) -> RemoteOrder:
    body = json.dumps(order, ensure_ascii=False).encode()
    inbound = adapter.parse(connection, {"X-Shopify-Topic": topic}, body)
    assert inbound.kind is InboundKind.order and inbound.topic == topic
    assert inbound.order is not None
    return inbound.order


def cod_order(**changes: Any) -> dict[str, Any]:
    order = load_sample()
    order.update(ukrainian_cod_order())
    order.update(changes)
    return order


def test_the_2026_07_sample_is_recorded_but_skipped_as_not_cash_on_delivery(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    remote = read(adapter, connection, load_sample())  # paid through the "bogus" gateway
    assert remote.remote_id == "450789469"
    assert remote.number == "#1001"
    assert remote.updated_at == datetime(2008, 1, 10, 11, 0, tzinfo=EASTERN)
    assert remote.order is None
    assert remote.skipped is SkipReason.not_cash_on_delivery
    assert remote.status is None
    # Its only fulfillment failed: a failed fulfillment shipped nothing.
    assert remote.tracking is None


def test_the_2026_07_sample_paid_cash_on_delivery_is_taken_in_as_it_stands_now(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    sample = load_sample()
    sample["payment_gateway_names"] = ["Cash on Delivery (COD)"]
    new = read(adapter, connection, sample).order
    assert new is not None
    # Two of its three lines were refunded (current_quantity 0): what is left is one iPod and
    # the current total, the amount still to be paid.
    assert new.items == (
        NewItem(
            name="IPod Nano - 8gb - red", quantity=1, price=Decimal("199.00"), sku="IPOD2008RED"
        ),
    )
    assert new.total == Decimal("199.65")
    assert new.currency == "USD"
    assert new.payment is Payment.cod
    assert new.external_id == "#1001"
    assert new.phone == "+557734881234"  # the order's own phone comes first
    assert new.customer_name == "Bob Norman"
    assert new.carrier is Carrier.other  # "Free Shipping" names no carrier
    assert new.city == "Louisville"
    assert new.point is None
    assert new.address == "Chestnut Street 92"
    assert new.language is None  # customer_locale null
    assert new.created_at == datetime(2008, 1, 10, 11, 0, tzinfo=EASTERN)


def test_the_2014_fixture_reads_with_all_its_lines(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    fixture = json.loads(
        (REFDATA / "shopify-order.rest-fixture-2014.shopify_python_api.json").read_text()
    )
    order = fixture["order"]
    # 2014 orders carried only "gateway"; payment_gateway_names came later.
    remote = read(adapter, connection, order)
    assert remote.skipped is SkipReason.no_phone  # no order phone; addresses' 555-625-1199
    order["payment_gateway_names"] = ["Cash on Delivery (COD)"]
    order["shipping_address"]["phone"] = "+1 502-459-2181"
    new = read(adapter, connection, order).order
    assert new is not None
    assert [(i.sku, i.quantity, i.price) for i in new.items] == [
        ("IPOD2008GREEN", 1, Decimal("199.00")),
        ("IPOD2008RED", 1, Decimal("199.00")),
        ("IPOD2008BLACK", 1, Decimal("199.00")),
    ]
    assert new.total == Decimal("409.94")
    assert new.phone == "+15024592181"


def test_the_2021_fixture_without_line_items_is_refused_naming_the_field(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    from bot.connectors.base import InvalidInbound

    listed = json.loads(
        (REFDATA / "shopify-orders.rest-fixture-2021.shopify_python_api.json").read_text()
    )
    with pytest.raises(InvalidInbound) as refused:
        read(adapter, connection, listed["orders"][0])
    assert refused.value.field == "line_items"


def test_a_ukrainian_cod_order_to_a_nova_poshta_branch(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    remote = read(adapter, connection, cod_order())
    new = remote.order
    assert new is not None and remote.skipped is None
    assert new.phone == "+380501234567"
    assert new.customer_name == "Олена Коваль"
    assert new.carrier is Carrier.nova_poshta
    assert new.city == "Київ"
    assert new.point == "Відділення №12"
    assert new.address is None
    assert new.currency == "UAH"
    assert new.language is Language.uk  # customer_locale "uk-UA"


@pytest.mark.parametrize(
    ("where", "raw"),
    [
        ("phone", "050 123 45 67"),
        ("customer", "+38 (050) 123-45-67"),
        ("shipping_address", "0501234567"),
        ("billing_address", "380501234567"),
    ],
)
def test_the_phone_comes_from_the_first_place_that_has_a_valid_one(
    adapter: ShopifyAdapter, connection: ConnectionInfo, where: str, raw: str
) -> None:
    order = cod_order()
    order["phone"] = "not a phone"
    order["customer"]["phone"] = None
    order["shipping_address"]["phone"] = ""
    order["billing_address"]["phone"] = None
    if where == "phone":
        order["phone"] = raw
    else:
        order[where]["phone"] = raw
    new = read(adapter, connection, order).order
    assert new is not None and new.phone == "+380501234567"


def test_an_order_without_any_valid_phone_is_skipped(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    order = cod_order(phone=None, customer=None, billing_address=None)
    order["shipping_address"]["phone"] = "12"
    remote = read(adapter, connection, order)
    assert remote.skipped is SkipReason.no_phone and remote.order is None


def test_a_prepaid_order_is_skipped_and_a_shops_own_cod_method_counts_when_named(
    adapter: ShopifyAdapter, connection: ConnectionInfo, connect: Any
) -> None:
    order = cod_order(payment_gateway_names=["Накладений платіж"])
    assert read(adapter, connection, order).skipped is SkipReason.not_cash_on_delivery
    own = connect(options={"cod_gateways": "Накладений платіж, Оплата при отриманні"})
    assert read(adapter, own, order).order is not None


def test_the_name_falls_back_to_the_customer_then_billing(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    order = cod_order()
    order["shipping_address"].update(name=None, first_name=None, last_name="")
    order["customer"].update(first_name="Ольга", last_name="Шевченко")
    new = read(adapter, connection, order).order
    assert new is not None and new.customer_name == "Ольга Шевченко"
    order["customer"] = None
    order["billing_address"].update(name="Петро Петренко")
    new = read(adapter, connection, order).order
    assert new is not None and new.customer_name == "Петро Петренко"


def test_item_names_sku_and_default_variants(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    order = cod_order()
    line = order["line_items"][1]
    line.update(
        variant_title="Default Title", sku="", quantity=3, current_quantity=3, price="12.50"
    )
    new = read(adapter, connection, order).order
    assert new is not None
    assert new.items == (
        NewItem(name="IPod Nano - 8gb", quantity=3, price=Decimal("12.50"), sku=None),
    )


@pytest.mark.parametrize(
    ("title", "code", "carrier"),
    [
        ("Nova Poshta", None, Carrier.nova_poshta),
        ("Нова Пошта кур'єр", "np-courier", Carrier.nova_poshta),
        ("Nova Post branch", None, Carrier.nova_poshta),
        ("Укрпошта", None, Carrier.ukrposhta),
        ("Ukrposhta Express", None, Carrier.ukrposhta),
        ("Meest", None, Carrier.meest),
        ("Самовивіз з магазину", None, Carrier.pickup),
        ("Кур'єр по Києву", None, Carrier.courier),
        ("Standard", "standard", Carrier.other),
    ],
)
def test_the_shipping_line_decides_the_carrier(
    adapter: ShopifyAdapter,
    connection: ConnectionInfo,
    title: str,
    code: str | None,
    carrier: Carrier,
) -> None:
    order = cod_order()
    order["shipping_lines"][0].update(title=title, code=code)
    new = read(adapter, connection, order).order
    assert new is not None and new.carrier is carrier


def test_a_door_delivery_keeps_the_street_as_the_address(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    order = cod_order()
    order["shipping_lines"][0].update(title="Нова Пошта - адресна доставка", code="np-door")
    order["shipping_address"].update(address1="вул. Хрещатик, 1", address2="кв. 5")
    new = read(adapter, connection, order).order
    assert new is not None
    assert (new.carrier, new.point, new.address) == (
        Carrier.nova_poshta,
        None,
        "вул. Хрещатик, 1, кв. 5",
    )


def test_a_branch_typed_into_the_address_under_a_plain_nova_poshta_rate(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    order = cod_order()
    order["shipping_lines"][0].update(title="Nova Poshta", code="NP")
    order["shipping_address"].update(address1="Поштомат №5512")
    new = read(adapter, connection, order).order
    assert new is not None and new.point == "Поштомат №5512"


def test_a_branch_from_a_named_order_attribute(adapter: ShopifyAdapter, connect: Any) -> None:
    order = cod_order(note_attributes=[{"name": "np_warehouse", "value": "Відділення №3"}])
    order["shipping_address"].update(address1="вул. Садова, 2")
    new = read(adapter, connect(options={"point_attribute": "np_warehouse"}), order).order
    assert new is not None
    assert (new.point, new.address) == ("Відділення №3", "вул. Садова, 2")


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("uk", Language.uk),
        ("uk-UA", Language.uk),
        ("ru", Language.ru),
        ("en", Language.en),
        ("de", None),
        (None, None),
    ],
)
def test_the_customers_locale_is_their_language(
    adapter: ShopifyAdapter,
    connection: ConnectionInfo,
    locale: str | None,
    language: Language | None,
) -> None:
    new = read(adapter, connection, cod_order(customer_locale=locale)).order
    assert new is not None and new.language == language


def test_a_cancelled_order_carries_its_status_and_reason(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    order = cod_order(cancelled_at="2026-07-01T10:00:00+03:00", cancel_reason="customer")
    remote = read(adapter, connection, order, topic="orders/cancelled")
    assert remote.status is OrderStatus.cancelled
    assert remote.status_comment == "customer"


@pytest.mark.parametrize(
    ("company", "number", "expected"),
    [
        ("Nova Poshta", "20450000000000", Tracking(Carrier.nova_poshta, "20450000000000")),
        ("Нова Пошта", "2045 0000 0000 00", Tracking(Carrier.nova_poshta, "20450000000000")),
        ("Nova Post", "59000777777777", Tracking(Carrier.nova_poshta, "59000777777777")),
        ("Ukrposhta", "RA067022855UA", Tracking(Carrier.ukrposhta, "RA067022855UA")),
        ("Укрпошта", "0503812345678", Tracking(Carrier.ukrposhta, "0503812345678")),
        ("USPS", "1Z1234512345123456", Tracking(Carrier.other, "1Z1234512345123456")),
        ("Nova Poshta", "1Z1234512345123456", None),  # not a Nova Poshta number
    ],
)
def test_a_fulfillment_waybill_is_tracking_when_its_carrier_would_know_it(
    adapter: ShopifyAdapter,
    connection: ConnectionInfo,
    company: str,
    number: str,
    expected: Tracking | None,
) -> None:
    order = cod_order()
    fulfillment = load_sample()["fulfillments"][0]
    fulfillment.update(status="success", tracking_company=company, tracking_number=number)
    order["fulfillments"] = [fulfillment]
    assert read(adapter, connection, order, topic="orders/fulfilled").tracking == expected


@pytest.mark.parametrize(
    "topic",
    [
        "orders/create",
        "orders/updated",
        "orders/cancelled",
        "orders/fulfilled",
        "orders/paid",
        "orders/edited",
    ],
)
def test_every_order_topic_carries_the_order(
    adapter: ShopifyAdapter, connection: ConnectionInfo, topic: str
) -> None:
    assert read(adapter, connection, cod_order(), topic=topic).number == "#1001"


@pytest.mark.parametrize("topic", ["orders/delete", "products/create", "app/uninstalled"])
def test_other_topics_are_ignored_without_reading_the_body(
    adapter: ShopifyAdapter, connection: ConnectionInfo, topic: str
) -> None:
    inbound = adapter.parse(connection, {"X-Shopify-Topic": topic}, b"{not json")
    assert inbound.kind is InboundKind.ignored and inbound.topic == topic
