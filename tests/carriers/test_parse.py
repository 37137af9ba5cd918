"""Parsing the real NP samples, and documents changed the ways NP changes them."""

from __future__ import annotations

import copy
import logging
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from bot.carriers.base import CarrierUpdate
from bot.carriers.novaposhta.parse import (
    MalformedResponse,
    number_of,
    parse_document,
    read_envelope,
)
from bot.domain.shipments import ShipmentStatus
from tests.carriers import refdata
from tests.carriers.fake_novaposhta import garble


def parse_sample(name: str) -> list[CarrierUpdate]:
    envelope = read_envelope(refdata.load(name))
    assert envelope.success
    updates = [
        parse_document(doc, tracking_number=number_of(doc) or "") for doc in envelope.documents
    ]
    assert all(update is not None for update in updates)
    return [update for update in updates if update is not None]


def sample_document(name: str, index: int = 0) -> dict[str, Any]:
    return copy.deepcopy(refdata.load(name)["data"][index])


def test_platx_sample_number_not_found_and_received() -> None:
    missing, received = parse_sample(refdata.STATUS3_AND_9)
    assert missing == CarrierUpdate(
        tracking_number="20400048799000",
        status=None,
        carrier_code="3",
        carrier_text="Номер не найден",
        not_found=True,
    )
    assert received == CarrierUpdate(
        tracking_number="20400048799001",
        status=ShipmentStatus.received,
        carrier_code="9",
        carrier_text="Відправлення отримано",
        # RecipientDateTime "07.04.2023 13:35:58", Kyiv summer time (UTC+3)
        occurred_at=datetime(2023, 4, 7, 10, 35, 58, tzinfo=UTC),
        point="м. Київ, Відділення №1: вул. Пирогівський шлях, 135",
        expected_delivery=date(2023, 4, 6),  # AdjustedDate "2023-04-06 22:00:00"
        paid_storage_from=date(2023, 4, 14),  # DatePayedKeeping "2023-04-14 18:47:40"
        cod_amount=None,  # AfterpaymentOnGoodsCost 0, RedeliverySum 0: nothing to pay for goods
        can_extend_storage=None,  # PossibilityTermExtension absent from this document
        not_found=False,
    )


def test_romabilka_sample_with_phone_is_complete() -> None:
    (update,) = parse_sample(refdata.STATUS9_WITH_PHONE)
    assert update.tracking_number == "59000777777777"
    assert update.status is ShipmentStatus.received
    # RecipientDateTime "08.03.2022 15:16:47", Kyiv winter time (UTC+2)
    assert update.occurred_at == datetime(2022, 3, 8, 13, 16, 47, tzinfo=UTC)
    assert update.point == "м. Шир, Відділення №1, площа Більбо, 1"
    assert update.expected_delivery == date(2022, 3, 7)
    assert update.paid_storage_from == date(2022, 3, 16)
    assert update.cod_amount is None
    assert not update.not_found


def test_romabilka_sample_without_phone_falls_back_to_branch_and_city() -> None:
    (update,) = parse_sample(refdata.STATUS9_NO_PHONE)
    assert update.status is ShipmentStatus.received
    assert update.point == "Ісенґард, провулок Морії, 14а"  # RecipientAddress is "" without phone
    assert update.paid_storage_from == date(2022, 3, 16)
    assert update.cod_amount is None  # "" without phone


def test_platx_sample_warning_about_the_phone_is_read() -> None:
    envelope = read_envelope(refdata.load(refdata.STATUS3_AND_9))
    assert envelope.warnings == (
        "ID_20400048799000: Please enter a valid phone number from the express invoice to show "
        "full information",
    )
    assert not envelope.bad_number


@pytest.mark.parametrize(
    ("name", "invalid"),
    [(refdata.ERROR, frozenset()), (refdata.ERROR_INVALID_NUMBER, frozenset({"445"}))],
)
def test_error_samples(name: str, invalid: frozenset[str]) -> None:
    envelope = read_envelope(refdata.load(name))
    assert not envelope.success
    assert envelope.errors == ("Document number is not correct",)
    assert envelope.bad_number
    assert envelope.invalid_numbers() == invalid
    assert envelope.documents == ()


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "ok",
        None,
        {"data": []},
        {"success": "true", "data": []},
        {"success": True},
        {"success": True, "data": {"0": {}}},
        {"success": True, "data": None},
    ],
)
def test_malformed_envelopes(payload: object) -> None:
    with pytest.raises(MalformedResponse):
        read_envelope(payload)


def test_arrived_at_a_branch_with_storage_dates() -> None:
    doc = sample_document(refdata.STATUS9_WITH_PHONE)
    doc.update(
        StatusCode="7",
        Status="Прибув у відділення",
        DateScan="09:05 08.03.2022",
        RecipientDateTime="",
        PossibilityTermExtension=True,
        AfterpaymentOnGoodsCost="1250.50",
    )
    update = parse_document(doc, tracking_number="59000777777777")
    assert update is not None
    assert update.status is ShipmentStatus.arrived
    assert update.occurred_at == datetime(2022, 3, 8, 7, 5, tzinfo=UTC)  # DateScan, UTC+2
    assert update.can_extend_storage is True
    assert update.cod_amount == Decimal("1250.50")
    assert update.paid_storage_from == date(2022, 3, 16)


def test_occurred_at_falls_back_to_tracking_update_date() -> None:
    doc = sample_document(refdata.STATUS9_WITH_PHONE)
    doc.update(StatusCode="5", DateScan="", RecipientDateTime="")
    update = parse_document(doc, tracking_number="59000777777777")
    assert update is not None and update.status is ShipmentStatus.in_transit
    assert update.occurred_at == datetime(2022, 3, 8, 13, 16, 53, tzinfo=UTC)


def test_cash_on_delivery_from_the_older_redelivery_field() -> None:
    doc = sample_document(refdata.STATUS9_WITH_PHONE)
    doc.update(StatusCode="8", AfterpaymentOnGoodsCost="", Redelivery=1, RedeliverySum=800)
    update = parse_document(doc, tracking_number="59000777777777")
    assert update is not None and update.cod_amount == Decimal(800)


def test_expected_delivery_falls_back_to_the_scheduled_date() -> None:
    doc = sample_document(refdata.STATUS9_WITH_PHONE)
    doc.update(AdjustedDate="")
    update = parse_document(doc, tracking_number="59000777777777")
    assert update is not None and update.expected_delivery == date(2022, 3, 7)  # "07-03-2022 …"


def test_delivery_to_the_door_has_no_pickup_point() -> None:
    doc = sample_document(refdata.STATUS9_WITH_PHONE)
    doc.update(StatusCode="101", ServiceType="WarehouseDoors")
    update = parse_document(doc, tracking_number="59000777777777")
    assert update is not None and update.point is None
    assert update.status is ShipmentStatus.in_transit


def test_unknown_code_keeps_the_rest(caplog: pytest.LogCaptureFixture) -> None:
    doc = sample_document(refdata.STATUS9_WITH_PHONE)
    doc.update(StatusCode="999", Status="Щось нове")
    with caplog.at_level(logging.WARNING):
        update = parse_document(doc, tracking_number="59000777777777")
    assert update is not None
    assert (update.status, update.carrier_code, update.carrier_text) == (None, "999", "Щось нове")
    assert update.paid_storage_from == date(2022, 3, 16)
    assert "999" in caplog.text


def test_fields_of_the_wrong_type_are_skipped_one_by_one() -> None:
    doc = garble(sample_document(refdata.STATUS9_WITH_PHONE))
    update = parse_document(doc, tracking_number="59000777777777")
    assert update == CarrierUpdate(
        tracking_number="59000777777777",
        status=ShipmentStatus.received,  # StatusCode 9 as a number still counts
        carrier_code="9",
    )
    assert number_of(doc) == "59000777777777"  # Number as a number still counts


@pytest.mark.parametrize("doc", ["garbage", 42, None, [], {"Number": {"x": 1}}])
def test_things_that_are_not_documents(doc: object) -> None:
    assert number_of(doc) is None
    if not isinstance(doc, dict):
        assert parse_document(doc, tracking_number="1") is None


def test_a_document_with_nothing_but_a_number() -> None:
    update = parse_document({"Number": "20450000000000"}, tracking_number="20450000000000")
    assert update == CarrierUpdate(tracking_number="20450000000000", status=None)
