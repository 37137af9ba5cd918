"""Domain errors read in the person's language, with the values they carry written in it too."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.errors import N_, DomainError
from bot.domain.languages import Language
from bot.domain.money import Money
from bot.domain.orders import OrderStatus
from bot.i18n import Catalogs
from bot.texts.errors import explain


def test_a_status_and_an_amount_are_written_as_the_reader_writes_them(catalogs: Catalogs):
    error = DomainError(N_("This order is already {status}."), status=OrderStatus.arrived)
    assert explain(catalogs(Language.en), error) == (
        "This order is already waiting at the pickup point."
    )
    assert explain(catalogs(Language.uk), error) == (
        "Це замовлення вже має статус «чекає у відділенні»."
    )
    # For the shop's API and the command line the same error reads as plain values.
    assert str(error) == "This order is already arrived."
    priced = DomainError("{total}", total=Money(Decimal("1200.00"), "UAH"))
    assert str(priced) == "1200.00 UAH"
    assert explain(catalogs(Language.uk), priced) == "1\xa0200,00\xa0₴"


def test_other_values_are_shown_as_they_are(catalogs: Catalogs):
    error = DomainError(N_("Customer {target} not found."), target="+380501234567")
    assert explain(catalogs(Language.en), error) == "Customer +380501234567 not found."
