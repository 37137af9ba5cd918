from __future__ import annotations

import pytest

from bot.domain.phones import InvalidPhone, mask_phone, normalise_phone


@pytest.mark.parametrize(
    "spelling",
    [
        "+380501234567",
        "0501234567",
        "+38 (050) 123-45-67",
        "380501234567",
        " 050 123 45 67 ",
        "38-050-123-45-67",
    ],
)
def test_spellings_of_one_number_are_one_customer(spelling):
    assert normalise_phone(spelling) == "+380501234567"


def test_foreign_numbers_keep_their_country():
    assert normalise_phone("+48 601 234 567") == "+48601234567"


@pytest.mark.parametrize("bad", ["", "   ", "12345", "not a phone", "+380 00", "0001234567"])
def test_invalid_numbers_are_refused(bad):
    with pytest.raises(InvalidPhone):
        normalise_phone(bad)


def test_masking_hides_the_middle():
    assert mask_phone("+380501234567") == "+38050***4567"
