"""The OpenAPI document's patterns say exactly what the request models accept.

For each kind of field, a string fits the documented ``pattern`` (and ``maxLength``) if and only
if the server's validator takes it: the document allows nothing the server refuses, and forbids
nothing it accepts.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from bot.domain.money import InvalidCurrency, amount_problem, normalise_currency
from bot.domain.orders import Carrier
from bot.domain.returns import ReturnStatus
from bot.domain.waybills import valid_waybill
from bot.web.openapi import build_document
from bot.web.patterns import (
    COMMENT_PATTERN,
    CURRENCY_PATTERN,
    MONEY_PATTERN,
    NAME_PATTERN,
    NOVA_POSHTA_WAYBILL,
    OTHER_WAYBILL,
    TEXT_PATTERN,
    UKRPOSHTA_WAYBILL,
    list_pattern,
)
from bot.web.return_schemas import ReturnListQuery
from bot.web.schemas import City, Comment, Currency, CustomerName, Money, TrackingNumber

# The characters the rules are about, and any others.
TRICKY = (
    " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u200b\u200e\u202e\u2066\u3000\u3164\ufeff\x00\x7f"
)
TEXTS = st.text(
    alphabet=st.sampled_from(TRICKY + "aZ0-,") | st.characters(codec="utf-8"), max_size=40
)
EXAMPLES = settings(max_examples=300, deadline=None)


def _accepts(field: Any, value: Any) -> bool:
    try:
        TypeAdapter(field).validate_python(value)
    except ValidationError:
        return False
    return True


def _fits(pattern: str, value: str) -> bool:
    return re.search(pattern, value) is not None


@pytest.mark.parametrize(
    ("field", "pattern", "max_length"),
    [
        pytest.param(City, TEXT_PATTERN, 120, id="text"),
        pytest.param(CustomerName, NAME_PATTERN, 200, id="name"),
        pytest.param(Comment, COMMENT_PATTERN, 2000, id="comment"),
        pytest.param(Currency, CURRENCY_PATTERN, None, id="currency"),
        pytest.param(Money, MONEY_PATTERN, None, id="money"),
    ],
)
@EXAMPLES
@given(value=TEXTS | st.sampled_from([" uah ", "UAH\n", "450.5", "0.00", "007", "1e2", "-1"]))
def test_a_text_fits_the_pattern_exactly_when_the_server_takes_it(
    field: Any, pattern: str, max_length: int | None, value: str
) -> None:
    documented = _fits(pattern, value) and (max_length is None or len(value) <= max_length)

    assert _accepts(field, value) is documented


def test_the_length_counts_the_whitespace_sent() -> None:
    assert not _accepts(City, " " * 10 + "К" * 115)
    assert _accepts(City, " " * 5 + "К" * 115)


WAYBILLS = {
    Carrier.nova_poshta: NOVA_POSHTA_WAYBILL,
    Carrier.ukrposhta: UKRPOSHTA_WAYBILL,
    Carrier.meest: OTHER_WAYBILL,
    Carrier.other: OTHER_WAYBILL,
}
DIGITS_AND_SPACES = st.text(alphabet=st.sampled_from("0123456789 RBUAx-\u0663\t\n"), max_size=70)


@pytest.mark.parametrize("carrier", list(WAYBILLS))
@EXAMPLES
@given(
    value=DIGITS_AND_SPACES | st.from_regex(NOVA_POSHTA_WAYBILL) | st.from_regex(UKRPOSHTA_WAYBILL)
)
def test_a_waybill_fits_its_carriers_pattern_exactly_when_it_can_be_attached(
    carrier: Carrier, value: str
) -> None:
    documented = _fits(WAYBILLS[carrier], value) and len(value) <= 64
    server = _accepts(TrackingNumber, value) and valid_waybill(
        carrier, value.strip().replace(" ", "")
    )

    assert server is documented


STATUS_PATTERN = list_pattern([status.value for status in ReturnStatus])


@EXAMPLES
@given(
    value=st.lists(
        st.sampled_from([*ReturnStatus, "", " ", "bogus", "Received", "received\t"]), max_size=4
    ).map(",".join)
)
def test_the_status_filter_fits_its_pattern_exactly_when_the_list_takes_it(value: str) -> None:
    assert _accepts(ReturnListQuery, {"status": value}) is _fits(STATUS_PATTERN, value)


def test_the_document_uses_these_patterns() -> None:
    schemas = build_document()["components"]["schemas"]

    assert schemas["CustomerIn"]["properties"]["name"]["pattern"] == NAME_PATTERN
    assert schemas["DeliveryIn"]["properties"]["city"]["pattern"] == TEXT_PATTERN
    patterns = {
        carrier: variant["properties"]["tracking_number"]["pattern"]
        for variant in schemas["ShipmentIn"]["oneOf"]
        for carrier in variant["properties"]["carrier"]["enum"]
    }
    assert patterns == {carrier.value: WAYBILLS.get(carrier, OTHER_WAYBILL) for carrier in Carrier}


# The importer follows the same rules (bot.domain.money): what the API refuses, it refuses too.
AMOUNTS = st.decimals(
    min_value=Decimal("-100"), max_value=Decimal("2E+10"), allow_nan=False, places=3
) | st.sampled_from([Decimal("9999999999.99"), Decimal("10000000000"), Decimal("0.001")])


@EXAMPLES
@given(value=AMOUNTS)
def test_an_amount_is_taken_exactly_when_the_domain_rule_takes_it(value: Decimal) -> None:
    assert _accepts(Money, value) is (amount_problem(value) is None)


def _domain_takes(code: str) -> bool:
    try:
        normalise_currency(code)
    except InvalidCurrency:
        return False
    return True


@EXAMPLES
@given(
    code=st.text(alphabet=st.sampled_from("AUHSDEaxyzﬁ1 "), min_size=1, max_size=4)
    | st.sampled_from(["UAH", "usd", "XYZ", "грн", "ﬁm"])
)
def test_a_currency_is_taken_exactly_when_the_domain_rule_takes_it(code: str) -> None:
    assert _accepts(Currency, code) is _domain_takes(code)
