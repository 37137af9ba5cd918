"""Waybill rules: one per carrier, the same for the shop's API and for a customer's return."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.orders import Carrier
from bot.domain.waybills import compact_waybill, normalise_waybill, valid_waybill

# Numbers from refdata: Nova Poshta's samples and Ukrposhta's barcodes and stated format.
REFDATA = [
    (Carrier.nova_poshta, "20400048799000"),
    (Carrier.nova_poshta, "59000777777777"),
    (Carrier.nova_poshta, "20450520287825"),
    (Carrier.ukrposhta, "0500128254873"),
    (Carrier.ukrposhta, "RA067022855UA"),
]


@pytest.mark.parametrize(("carrier", "number"), REFDATA)
def test_the_reference_numbers_are_valid(carrier: Carrier, number: str) -> None:
    assert valid_waybill(carrier, number)
    assert normalise_waybill(carrier, number) == number


@pytest.mark.parametrize(
    ("carrier", "number"),
    [
        pytest.param(Carrier.nova_poshta, "2045000000000", id="13 digits"),
        pytest.param(Carrier.nova_poshta, "204500000000000", id="15 digits"),
        pytest.param(Carrier.nova_poshta, "30450000000000", id="first digit 3"),
        pytest.param(Carrier.nova_poshta, "2045000000000\u0663", id="an arabic-indic digit"),
        pytest.param(Carrier.nova_poshta, "20450000000000\n", id="a newline after it"),
        pytest.param(Carrier.ukrposhta, "RB12345678UA", id="ukrposhta short"),
        pytest.param(Carrier.ukrposhta, "rb123456789ua", id="ukrposhta lower case"),
        pytest.param(Carrier.meest, "ab", id="too short"),
        pytest.param(Carrier.meest, "MEEST/123456", id="a slash"),
        pytest.param(Carrier.other, "A" * 41, id="too long"),
    ],
)
def test_numbers_that_are_not_the_carriers(carrier: Carrier, number: str) -> None:
    assert not valid_waybill(carrier, number)


def test_other_carriers_take_letters_of_either_case_digits_and_dashes() -> None:
    assert valid_waybill(Carrier.rozetka, "ab-12")
    assert valid_waybill(Carrier.other, "X" * 40)


def test_a_shops_number_loses_only_its_spaces() -> None:
    assert compact_waybill("  2045 0000 0000 00 ") == "20450000000000"
    assert compact_waybill("ab-12") == "ab-12"


@pytest.mark.parametrize(
    ("carrier", "text", "expected"),
    [
        (Carrier.nova_poshta, "2045-0000-0000-00", "20450000000000"),
        (Carrier.nova_poshta, " 5900\t0123 4567 89\n", "59000123456789"),
        (Carrier.ukrposhta, "rb 123456789 ua", "RB123456789UA"),
        (Carrier.meest, "mx-1234-5678", "MX12345678"),
        (Carrier.other, " ab 12-345 ", "ab12-345"),
    ],
)
def test_what_a_person_types_is_read_as_the_carrier_writes_it(
    carrier: Carrier, text: str, expected: str
) -> None:
    assert normalise_waybill(carrier, text) == expected


# Where the return flow and the shop's API disagreed, the return flow now follows the API.
@pytest.mark.parametrize(
    ("carrier", "text", "expected"),
    [
        # Nova Poshta: the return flow took any first digit, and any script's digits.
        pytest.param(Carrier.nova_poshta, "3045 0000 0000 00", None, id="np first digit 3"),
        pytest.param(Carrier.nova_poshta, "٢٠٤٥٠٠٠٠٠٠٠٠٠٠", None, id="np arabic-indic"),
        pytest.param(Carrier.nova_poshta, "２０４５００００００００００", None, id="np fullwidth"),
        pytest.param(Carrier.ukrposhta, "٠٥٠٠١٢٨٢٥٤٨٧٣", None, id="ukrposhta arabic-indic"),
        # Another carrier: the return flow wanted capitals and 6 characters, kept inner spaces.
        pytest.param(Carrier.other, "ab123", "ab123", id="other lower case, 5 long"),
        pytest.param(Carrier.other, "AB 12345", "AB12345", id="other with a space"),
        # Meest: the return flow wanted 8-20 letters and digits.
        pytest.param(Carrier.meest, "MX123", "MX123", id="meest 5 long"),
    ],
)
def test_the_return_flow_takes_what_the_shop_may_attach(
    carrier: Carrier, text: str, expected: str | None
) -> None:
    assert normalise_waybill(carrier, text) == expected
    assert valid_waybill(carrier, compact_waybill(text)) is (expected is not None)


@given(carrier=st.sampled_from(Carrier), text=st.text(max_size=60))
def test_a_normalised_number_is_valid_and_stays_as_it_is(carrier: Carrier, text: str) -> None:
    number = normalise_waybill(carrier, text)
    if number is not None:
        assert valid_waybill(carrier, number)
        assert normalise_waybill(carrier, number) == number
