"""One row of a past-orders file: every column's good and bad values (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain.feedback import RefusalReason
from bot.domain.orders import Carrier, OrderStatus, Payment
from bot.importer.rows import BadRow, HistoricalOrder, RowParser

KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
ROW: dict[str, Any] = {
    "external_id": "H-1",
    "phone": "050 123 45 67",
    "name": "Олена Коваль",
    "status": "received",
    "created_at": "2025-09-02T10:15",
    "total": "1250.00",
}


def parse(**changes: Any) -> HistoricalOrder:
    """The minimal good row with ``changes`` (None removes a column)."""
    record = {**ROW, **changes}
    return RowParser(KYIV, NOW).parse({k: v for k, v in record.items() if v is not None})


def problem(**changes: Any) -> str:
    with pytest.raises(BadRow) as error:
        parse(**changes)
    return error.value.reason


def test_the_minimal_row_gets_the_documented_defaults():
    order = parse()
    assert order == HistoricalOrder(
        external_id="H-1",
        phone="+380501234567",
        name="Олена Коваль",
        status=OrderStatus.received,
        created_at=datetime(2025, 9, 2, 7, 15, tzinfo=UTC),  # 10:15 in Kyiv (summer time)
        finished_at=datetime(2025, 9, 2, 7, 15, tzinfo=UTC),  # finished_at defaults to created_at
        confirmed_at=None,
        total=Decimal("1250.00"),
        currency="UAH",
        payment=Payment.cod,
        carrier=Carrier.nova_poshta,
        city="",
        refusal_reason=None,
        comment=None,
    )


def test_every_column_filled_in():
    order = parse(
        external_id="  H-2 ",
        phone="+38 (067) 111-22-33",
        status="Refused",
        created_at="2025-01-10T07:00:00+00:00",
        finished_at="2025-01-15T18:30:00Z",
        confirmed_at="2025-01-10 09:20",
        total="1 599,50",
        currency="usd",
        payment="PREPAID",
        carrier="ukrposhta",
        city="Львів",
        refusal_reason="price",
        comment="  Знайшла дешевше  ",
        warehouse="№12",  # unknown columns are ignored
    )
    assert order.external_id == "H-2" and order.phone == "+380671112233"
    assert order.status is OrderStatus.refused
    assert order.created_at == datetime(2025, 1, 10, 7, 0, tzinfo=UTC)
    assert order.finished_at == datetime(2025, 1, 15, 18, 30, tzinfo=UTC)
    assert order.confirmed_at == datetime(2025, 1, 10, 7, 20, tzinfo=UTC)  # Kyiv, winter: +2
    assert order.total == Decimal("1599.50") and order.currency == "USD"
    assert order.payment is Payment.prepaid and order.carrier is Carrier.ukrposhta
    assert order.city == "Львів"
    assert order.refusal_reason is RefusalReason.too_expensive
    assert order.comment == "Знайшла дешевше"


@pytest.mark.parametrize(
    "column", ["external_id", "phone", "name", "status", "created_at", "total"]
)
@pytest.mark.parametrize("missing", [None, "", "   "])
def test_a_required_column_missing_or_empty(column, missing):
    assert problem(**{column: missing}) == f"{column} is missing"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"external_id": "x" * 65}, "external_id is longer than 64 characters"),
        ({"phone": "12345"}, "invalid phone '12345'"),
        ({"phone": "not a phone"}, "invalid phone 'not a phone'"),
        ({"name": "Я" * 201}, "name is longer than 200 characters"),
        (
            {"status": "shipped"},
            "status 'shipped' is not an outcome: use one of received, refused, returned, cancelled",
        ),
        (
            {"status": "delivered"},
            "status 'delivered' is not an outcome: use one of received, refused, returned, cancelled",
        ),
        (
            {"created_at": "02.09.2025"},
            "created_at '02.09.2025' is not an ISO date or date and time"
            " (like 2024-03-01 or 2024-03-01T14:30)",
        ),
        ({"created_at": "2027-01-01"}, "created_at '2027-01-01' is in the future"),
        ({"finished_at": "2025-09-01T10:00"}, "finished_at is before created_at"),
        (
            {"finished_at": "2025-13-01"},
            "finished_at '2025-13-01' is not an ISO date or date and time (like 2024-03-01 or 2024-03-01T14:30)",
        ),
        ({"confirmed_at": "2025-09-02T10:00"}, "confirmed_at is before created_at"),
        (
            {"finished_at": "2025-09-03T10:00", "confirmed_at": "2025-09-04T10:00"},
            "confirmed_at is after finished_at",
        ),
        ({"total": "abc"}, "total 'abc' is not a number"),
        ({"total": "1,250.00"}, "total '1,250.00' is not a number"),
        ({"total": "NaN"}, "total 'NaN' is not a number"),
        ({"total": "-5"}, "total is negative"),
        ({"total": "10000000000"}, "total is too large"),
        ({"total": "9.999"}, "total '9.999' has more than 2 decimal places"),
        ({"currency": "грн"}, "currency 'грн' is not a 3-letter code like UAH"),
        ({"currency": "UAHS"}, "currency 'UAHS' is not a 3-letter code like UAH"),
        ({"payment": "card"}, "payment 'card' is not one of cod, prepaid"),
        (
            {"carrier": "dhl"},
            "carrier 'dhl' is not one of nova_poshta, ukrposhta, meest, rozetka, courier, pickup, other",
        ),
        ({"city": "К" * 121}, "city is longer than 120 characters"),
        (
            {"status": "refused", "refusal_reason": "expensive"},
            "refusal_reason 'expensive' is not one of mind, price, differs, wrong, slow, notmine, other",
        ),
        (
            {"refusal_reason": "price"},
            "refusal_reason is only for refused or returned orders",
        ),
        (
            {"status": "cancelled", "refusal_reason": "mind"},
            "refusal_reason is only for refused or returned orders",
        ),
        ({"phone": 380501234567.5}, "invalid phone '380501234567.5'"),
        ({"total": True}, "total must be text or a number"),
        ({"name": {"first": "Олена"}}, "name must be text or a number"),
    ],
)
def test_a_bad_value_names_its_column_and_the_problem(changes, reason):
    assert problem(**changes) == reason


# The importer took any three letters; the API has always refused what ISO 4217 does not know.
@pytest.mark.parametrize("code", ["XYZ", "abc"])
def test_a_currency_the_api_refuses_is_refused_here_too(code):
    assert problem(currency=code) == f"currency '{code}' is not an ISO 4217 code like UAH"


def test_a_negative_zero_total_is_zero():
    assert str(parse(total="-0").total) == "0.00"


def test_every_problem_of_a_row_is_reported_at_once():
    assert problem(phone="1", status="lost", total="-1", external_id=None) == (
        "external_id is missing; invalid phone '1';"
        " status 'lost' is not an outcome: use one of received, refused, returned, cancelled;"
        " total is negative"
    )


def test_a_long_bad_value_is_shortened_in_the_message():
    assert problem(payment="x" * 100) == f"payment '{'x' * 39}…' is not one of cod, prepaid"


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("450", "450.00"),
        ("450.5", "450.50"),
        ("450,5", "450.50"),
        ("0", "0.00"),
        (899.5, "899.50"),
        (1200, "1200.00"),
    ],
)
def test_totals_take_a_comma_or_a_dot_and_json_numbers(total, expected):
    assert parse(total=total).total == Decimal(expected)


def test_phones_and_numbers_from_json_are_taken_as_text():
    order = parse(phone=380501234567, external_id=10001)
    assert order.phone == "+380501234567" and order.external_id == "10001"


def test_naive_times_are_the_shops_and_a_bare_date_is_midnight():
    order = parse(created_at="2025-03-01", finished_at="2025-03-04T12:00+01:00")
    assert order.created_at == datetime(2025, 2, 28, 22, 0, tzinfo=UTC)  # 00:00 in Kyiv (+2)
    assert order.finished_at == datetime(2025, 3, 4, 11, 0, tzinfo=UTC)


def test_a_bare_finish_date_on_the_day_of_creation_is_not_before_it():
    order = parse(created_at="2025-09-02T10:15", finished_at="2025-09-02", status="cancelled")
    assert order.finished_at == order.created_at


def test_status_values_are_case_insensitive():
    assert parse(status=" RETURNED ").status is OrderStatus.returned


@pytest.mark.parametrize("status", ["refused", "returned", "cancelled"])
def test_a_comment_is_kept_for_refusals_and_cancellations(status):
    assert parse(status=status, comment="Передумала").comment == "Передумала"


def test_a_comment_on_a_received_order_has_nowhere_to_go():
    assert parse(status="received", comment="Дзвонити після 18:00").comment is None


def test_a_very_long_comment_is_cut_to_1000_characters():
    assert parse(status="refused", comment="я" * 1500).comment == "я" * 1000


def test_a_record_that_is_not_an_object_is_a_bad_row():
    with pytest.raises(BadRow) as error:
        RowParser(KYIV, NOW).parse(["H-1", "0501234567"])
    assert error.value.reason == "not an object with the order's columns"
