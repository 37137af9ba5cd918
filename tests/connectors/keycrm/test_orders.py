"""A KeyCRM order (as the fake renders ``GET /order/{id}`` from the facts) → what Vykup takes in."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from bot.connectors.base import InvalidInbound, SkipReason, Tracking
from bot.connectors.keycrm.account import learn
from bot.connectors.keycrm.orders import remote_order
from bot.domain.languages import Language
from bot.domain.orders import Carrier, OrderStatus, Payment
from tests.connectors.fakes.keycrm import FakeKeyCrm, product


def options(fake: FakeKeyCrm) -> dict[str, str]:
    return learn(fake.statuses, fake.payment_methods, fake.sources).options


async def sample(fake: FakeKeyCrm, **fields: Any) -> dict[str, Any]:
    order = await fake.create_order(notify=False, **fields)
    return order


async def test_a_cod_order_is_taken_in_with_every_field(fake: FakeKeyCrm) -> None:
    data = await sample(
        fake,
        phone="050 123 45 67",
        name="Олена Петренко",
        products=[product("Сукня", "DRESS-1", 2.0, 650.5), product("Пояс", None, 1.0, 99.0)],
        city="Львів",
        receive_point="Відділення №3",
    )
    data["updated_at"] = "2026-03-01 08:30:00"
    data["ordered_at"] = "2026-03-01 08:00:00"
    remote = remote_order(data, options(fake))
    assert remote.remote_id == remote.number == str(data["id"])
    assert remote.updated_at == datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    assert remote.skipped is None and remote.order is not None
    order = remote.order
    assert order.external_id == str(data["id"])
    assert order.phone == "+380501234567"
    assert order.customer_name == "Олена Петренко"
    assert [(i.name, i.sku, i.quantity, i.price) for i in order.items] == [
        ("Сукня", "DRESS-1", 2, Decimal("650.50")),
        ("Пояс", None, 1, Decimal("99.00")),
    ]
    assert order.total == Decimal("1400.00")
    assert order.currency == "UAH"
    assert order.payment is Payment.cod
    assert order.carrier is Carrier.nova_poshta
    assert (order.city, order.point) == ("Львів", "Відділення №3")
    assert order.created_at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert order.language is None
    assert remote.status is None and remote.status_comment == "Новий"


async def test_a_line_without_sku_takes_the_offers(fake: FakeKeyCrm) -> None:
    data = await sample(fake, products=[product("Пояс", None, 1.0, 99.0)])
    data["products"][0]["offer"]["sku"] = "BELT-7"
    remote = remote_order(data, options(fake))
    assert remote.order is not None and remote.order.items[0].sku == "BELT-7"


async def test_the_recipient_is_the_customer_when_the_buyer_has_no_phone(
    fake: FakeKeyCrm,
) -> None:
    data = await sample(
        fake, phone=None, recipient_phone="+38 (067) 765-43-21", recipient_name="Іван Коваль"
    )
    remote = remote_order(data, options(fake))
    assert remote.order is not None
    assert (remote.order.phone, remote.order.customer_name) == ("+380677654321", "Іван Коваль")


async def test_the_buyer_wins_when_both_have_a_phone(fake: FakeKeyCrm) -> None:
    data = await sample(fake, recipient_phone="0677654321", recipient_name="Іван Коваль")
    remote = remote_order(data, options(fake))
    assert remote.order is not None
    assert (remote.order.phone, remote.order.customer_name) == ("+380501234567", "Олена Петренко")


@pytest.mark.parametrize("phone", [None, "", "12", "not a phone"])
async def test_no_valid_phone_is_skipped(fake: FakeKeyCrm, phone: str | None) -> None:
    remote = remote_order(await sample(fake, phone=phone), options(fake))
    assert remote.order is None and remote.skipped is SkipReason.no_phone


async def test_a_paid_order_is_not_cash_on_delivery(fake: FakeKeyCrm) -> None:
    data = await sample(fake, payment_method_id=2, payment_status="paid")
    remote = remote_order(data, options(fake))
    assert remote.order is None and remote.skipped is SkipReason.not_cash_on_delivery


async def test_a_cod_method_wins_even_when_marked_paid(fake: FakeKeyCrm) -> None:
    data = await sample(fake, payment_method_id=1, payment_status="paid")
    remote = remote_order(data, options(fake))
    assert remote.order is not None and remote.order.payment is Payment.cod


@pytest.mark.parametrize("method", [None, 2])
async def test_an_unpaid_order_is_paid_at_the_branch(fake: FakeKeyCrm, method: int | None) -> None:
    data = await sample(fake, payment_method_id=method, payment_status="not_paid")
    remote = remote_order(data, options(fake))
    assert remote.order is not None and remote.order.payment is Payment.cod


async def test_a_method_named_cash_on_delivery_is_cod_without_options(fake: FakeKeyCrm) -> None:
    data = await sample(fake, payment_method_id=2, payment_status="paid")
    data["payments"][0]["payment_method"] = {"id": 2, "name": "Наложенный платеж"}
    remote = remote_order(data, {})
    assert remote.order is not None and remote.order.payment is Payment.cod


@pytest.mark.parametrize(
    ("service_id", "carrier"),
    [(1, Carrier.nova_poshta), (2, Carrier.ukrposhta), (3, Carrier.meest), (4, Carrier.pickup)],
)
async def test_the_carrier_comes_from_the_delivery_service(
    fake: FakeKeyCrm, service_id: int, carrier: Carrier
) -> None:
    remote = remote_order(await sample(fake, delivery_service_id=service_id), options(fake))
    assert remote.order is not None and remote.order.carrier is carrier


async def test_no_delivery_service_is_other(fake: FakeKeyCrm) -> None:
    data = await sample(fake, delivery_service_id=None, city=None)
    remote = remote_order(data, options(fake))
    assert remote.order is not None
    assert (remote.order.carrier, remote.order.city) == (Carrier.other, "")


async def test_a_source_in_dollars_gives_dollars(fake: FakeKeyCrm) -> None:
    remote = remote_order(await sample(fake, source_id=4), options(fake))
    assert remote.order is not None and remote.order.currency == "USD"
    remote = remote_order(await sample(fake, source_id=4), {})
    assert remote.order is not None and remote.order.currency == "UAH"  # the default


async def test_the_language_comes_from_the_named_custom_field(fake: FakeKeyCrm) -> None:
    data = await sample(fake)
    data["custom_fields"] = [{"id": 8, "uuid": "OR_1001", "name": "Мова", "value": ["ru"]}]
    remote = remote_order(data, {**options(fake), "language_field": "OR_1001"})
    assert remote.order is not None and remote.order.language is Language.ru


@pytest.mark.parametrize("status_id", [11, 12, 13])
async def test_statuses_of_the_cancelled_group_read_as_cancelled(
    fake: FakeKeyCrm, status_id: int
) -> None:
    remote = remote_order(await sample(fake, status_id=status_id), options(fake))
    assert remote.status is OrderStatus.cancelled
    assert remote.status_comment == fake.status_of(int(remote.remote_id))["name"]


async def test_other_statuses_change_nothing(fake: FakeKeyCrm) -> None:
    remote = remote_order(await sample(fake, status_id=8), options(fake))
    assert remote.status is None and remote.status_comment == "Відправлено"


async def test_a_waybill_of_the_carrier_is_tracking(fake: FakeKeyCrm) -> None:
    remote = remote_order(await sample(fake, tracking_code="2045 0000 0000 00"), options(fake))
    assert remote.tracking == Tracking(Carrier.nova_poshta, "20450000000000")


async def test_a_waybill_not_of_the_carrier_is_ignored(fake: FakeKeyCrm) -> None:
    remote = remote_order(await sample(fake, tracking_code="12345"), options(fake))
    assert remote.tracking is None and remote.order is not None


async def test_500_lines_are_read_and_recorded_not_taken_in(fake: FakeKeyCrm) -> None:
    # Not taken in part (the customer would confirm another order), not refused either (the
    # delivery would fail for ever): recorded as too big, so nobody is asked.
    data = await sample(fake, products=[product(f"Ґудзик {n}", f"B-{n}") for n in range(500)])
    remote = remote_order(data, options(fake))
    assert remote.order is None and remote.skipped is SkipReason.too_many_items


async def test_100_lines_are_taken_in(fake: FakeKeyCrm) -> None:
    data = await sample(fake, products=[product(f"Ґудзик {n}", f"B-{n}") for n in range(100)])
    remote = remote_order(data, options(fake))
    assert remote.order is not None and len(remote.order.items) == 100


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    target[int(last) if last.isdigit() else last] = value


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("id", "1001", "id"),
        ("grand_total", -5, "grand_total"),
        ("grand_total", 1e13, "grand_total"),
        ("grand_total", "1,5", "grand_total"),
        ("grand_total", 10.001, "grand_total"),
        ("grand_total", None, "grand_total"),
        ("grand_total", True, "grand_total"),
        ("updated_at", "yesterday", "updated_at"),
        ("updated_at", 1700000000, "updated_at"),
        ("buyer", "Олена", "buyer"),
        ("buyer.phone", 380501234567, "buyer.phone"),
        ("buyer.full_name", "Я" * 201, "buyer.full_name"),
        ("products", {"0": {}}, "products"),
        ("products", [], "products"),
        ("products.0", "Сукня", "products[0]"),
        ("products.0.quantity", 1.5, "products[0].quantity"),
        ("products.0.quantity", 0, "products[0].quantity"),
        ("products.0.quantity", "many", "products[0].quantity"),
        ("products.0.price", -1, "products[0].price"),
        ("products.0.price", float("inf"), "products[0].price"),
        ("products.0.name", None, "products[0].name"),
        ("products.0.name", "x" * 10_000, "products[0].name"),
        ("products.0.sku", ["A"], "products[0].sku"),
        ("shipping", 7, "shipping"),
        ("shipping.shipping_address_city", "М" * 121, "shipping.shipping_address_city"),
        ("shipping.delivery_service", "Нова Пошта", "shipping.delivery_service"),
        ("payments", {"id": 1}, "payments"),
        ("payments.0", 5, "payments[0]"),
        ("payment_status", 1, "payment_status"),
    ],
)
async def test_hostile_values_name_their_field(
    fake: FakeKeyCrm, path: str, value: Any, field: str
) -> None:
    data = await sample(fake, payment_method_id=2)
    _set(data, path, value)
    with pytest.raises(InvalidInbound) as caught:
        remote_order(data, options(fake))
    assert caught.value.field == field


@pytest.mark.parametrize("data", [None, [], "order", 5, [{"id": 1}]])
def test_a_body_that_is_not_an_order_object(data: Any) -> None:
    with pytest.raises(InvalidInbound) as caught:
        remote_order(data, {})
    assert caught.value.field == "order"


async def test_an_empty_relation_cast_to_a_list_reads_as_absent(fake: FakeKeyCrm) -> None:
    data = await sample(fake)
    data["shipping"]["delivery_service"] = []
    remote = remote_order(data, options(fake))
    assert remote.order is not None and remote.order.carrier is Carrier.other


async def test_a_manager_moving_the_order_to_vykups_confirmed_status_confirms_it(
    fake: FakeKeyCrm,
) -> None:
    # Confirmed by phone in the CRM: the status the connection maps order.confirmed to (3).
    data = await sample(fake, status_id=3)
    mapping = {"order.confirmed": "3", "order.on_hold": "", "order.cancelled": "11"}
    assert remote_order(data, options(fake), mapping).status is OrderStatus.confirmed
    # Without a mapped status the CRM's own workflow statuses change nothing.
    assert remote_order(data, options(fake), {}).status is None
