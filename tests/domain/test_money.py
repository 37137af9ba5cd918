"""Amounts and currencies: the rule the shop's API and the importer both follow."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.money import (
    MAX_AMOUNT,
    AmountProblem,
    CurrencyProblem,
    InvalidCurrency,
    amount_problem,
    cents,
    normalise_currency,
)


@pytest.mark.parametrize("text", ["0", "0.01", "450", "450.5", "1E+2", str(MAX_AMOUNT)])
def test_amounts_that_fit(text: str) -> None:
    assert amount_problem(Decimal(text)) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("-0.01", AmountProblem.negative),
        ("-5", AmountProblem.negative),
        ("10000000000", AmountProblem.too_large),
        ("10000000000.001", AmountProblem.too_large),  # the size is named before the decimals
        ("9.999", AmountProblem.too_precise),
        ("0.001", AmountProblem.too_precise),
    ],
)
def test_amounts_that_do_not(text: str, problem: AmountProblem) -> None:
    assert amount_problem(Decimal(text)) is problem


def test_the_largest_amount_fits_numeric_12_2() -> None:
    assert Decimal("9999999999.99") == MAX_AMOUNT


@pytest.mark.parametrize(
    ("text", "expected"), [("450.5", "450.50"), ("1E+2", "100.00"), ("-0", "0.00")]
)
def test_cents_are_always_two_decimals(text: str, expected: str) -> None:
    assert str(cents(Decimal(text))) == expected


@pytest.mark.parametrize(("text", "code"), [("UAH", "UAH"), ("usd", "USD"), (" eUr ", "EUR")])
def test_currencies_are_iso_codes_in_capitals(text: str, code: str) -> None:
    assert normalise_currency(text) == code


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("грн", CurrencyProblem.not_three_letters),
        ("UAHS", CurrencyProblem.not_three_letters),
        ("U1H", CurrencyProblem.not_three_letters),
        ("", CurrencyProblem.not_three_letters),
        ("ﬁm", CurrencyProblem.not_three_letters),  # upper-cased it would be FIM
        ("XYZ", CurrencyProblem.unknown),
        ("abc", CurrencyProblem.unknown),
    ],
)
def test_other_currencies_are_refused_saying_why(text: str, problem: CurrencyProblem) -> None:
    with pytest.raises(InvalidCurrency) as caught:
        normalise_currency(text)

    assert caught.value.problem is problem
