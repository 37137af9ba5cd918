"""Money: amounts and currencies as a shop gives them (one rule for the API and the importer
alike), and an amount in a currency as a value that errors carry and readers format.

An amount is at least 0, has at most 2 decimals and fits ``Numeric(12, 2)`` (the money columns in
``storage/models.py``); a currency is an ISO 4217 code that Babel knows, in any case.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from babel.numbers import is_currency

CENT: Final = Decimal("0.01")
DECIMALS: Final = 2
# Numeric(12, 2): an amount is below this, so at most MAX_AMOUNT.
AMOUNT_BOUND: Final = Decimal("10000000000")
MAX_AMOUNT: Final = AMOUNT_BOUND - CENT


class AmountProblem(StrEnum):
    negative = "negative"
    too_large = "too_large"
    too_precise = "too_precise"  # more than 2 decimals


def amount_problem(value: Decimal) -> AmountProblem | None:
    """What is wrong with a finite amount, the first of: negative, too large, too precise."""
    if value < 0:
        return AmountProblem.negative
    if value >= AMOUNT_BOUND:
        return AmountProblem.too_large
    if value.quantize(CENT) != value:
        return AmountProblem.too_precise
    return None


def cents(value: Decimal) -> Decimal:
    """The amount with exactly 2 decimals: ``1E+2`` → ``100.00``, ``-0`` → ``0.00``."""
    return (value + 0).quantize(CENT)


class CurrencyProblem(StrEnum):
    not_three_letters = "not_three_letters"
    unknown = "unknown"  # three letters, but no ISO 4217 code


class InvalidCurrency(ValueError):
    def __init__(self, text: str, problem: CurrencyProblem) -> None:
        super().__init__(f"{text!r} is not an ISO 4217 currency code")
        self.problem = problem


def normalise_currency(text: str) -> str:
    """The ISO 4217 code in capitals (``uah`` → ``UAH``), or :class:`InvalidCurrency`."""
    letters = text.strip()
    # Checked before upper-casing: "ﬁm".upper() is "FIM".
    if len(letters) != 3 or not (letters.isascii() and letters.isalpha()):
        raise InvalidCurrency(text, CurrencyProblem.not_three_letters)
    code = letters.upper()
    if not is_currency(code):
        raise InvalidCurrency(text, CurrencyProblem.unknown)
    return code


@dataclass(frozen=True)
class Money:
    """An amount in a currency: errors carry it, and whoever shows it formats it in the reader's
    language (the shop API and the command line read it as ``1200.00 UAH``)."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
