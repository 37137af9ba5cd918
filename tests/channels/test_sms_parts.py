"""SMS part counting: GSM-7 160/153 (extension characters count 2), UCS-2 70/67 in UTF-16 units."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.sms_parts import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    SmsEncoding,
    sms_parts,
    sms_size,
)


@pytest.mark.parametrize(
    ("text", "encoding", "parts"),
    [
        ("", SmsEncoding.gsm7, 0),
        ("a" * 160, SmsEncoding.gsm7, 1),
        ("a" * 161, SmsEncoding.gsm7, 2),
        ("a" * 306, SmsEncoding.gsm7, 2),
        ("a" * 307, SmsEncoding.gsm7, 3),
        ("ї" * 70, SmsEncoding.ucs2, 1),
        ("ї" * 71, SmsEncoding.ucs2, 2),
        ("ї" * 134, SmsEncoding.ucs2, 2),
        ("ї" * 135, SmsEncoding.ucs2, 3),
        ("a" * 159 + "€", SmsEncoding.gsm7, 2),  # € is escape + e: 161 septets
        ("a" * 158 + "{", SmsEncoding.gsm7, 1),  # exactly 160
        ("a" * 159 + "ж", SmsEncoding.ucs2, 3),  # one Cyrillic letter: all 160 are UCS-2
        ("Order 1042 is confirmed. Thank you!", SmsEncoding.gsm7, 1),
        ("Ваше замовлення 1042 підтверджено", SmsEncoding.ucs2, 1),
        ("😀" * 35, SmsEncoding.ucs2, 1),  # 70 UTF-16 units
        ("😀" * 36, SmsEncoding.ucs2, 2),
        ("Ü@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡§¿äöñüà", SmsEncoding.gsm7, 1),
        ("ç", SmsEncoding.ucs2, 1),  # only the capital Ç is GSM-7
    ],
)
def test_table(text: str, encoding: SmsEncoding, parts: int) -> None:
    size = sms_size(text)
    assert (size.encoding, size.parts) == (encoding, parts)


def test_extension_characters_count_two() -> None:
    assert sms_size("€{}[]~|^\\\f").units == 20
    assert sms_size("a€").units == 3


def test_an_escape_pair_does_not_straddle_two_parts() -> None:
    # 152 septets then '€' (2): the pair starts the second part.
    assert sms_parts("a" * 152 + "€" + "a" * 151) == 2
    assert sms_parts("a" * 152 + "€" + "a" * 152) == 3


def test_a_surrogate_pair_does_not_straddle_two_parts() -> None:
    assert sms_parts("ї" * 66 + "😀" + "ї" * 65) == 2  # 133 units, 😀 opens part two
    assert sms_parts("ї" * 66 + "😀" + "ї" * 66) == 3


gsm_basic = st.text(alphabet=sorted(GSM7_BASIC), max_size=1000)
cyrillic = st.text(
    alphabet=st.characters(min_codepoint=0x0410, max_codepoint=0x044F), max_size=1000
)


@given(gsm_basic)
def test_basic_gsm7_is_160_then_153(text: str) -> None:
    size = sms_size(text)
    assert size.encoding is SmsEncoding.gsm7 and size.units == len(text)
    expected = 0 if not text else 1 if len(text) <= 160 else math.ceil(len(text) / 153)
    assert size.parts == expected


@given(cyrillic)
def test_cyrillic_is_70_then_67(text: str) -> None:
    size = sms_size(text)
    assert size.encoding is (SmsEncoding.ucs2 if text else SmsEncoding.gsm7)
    expected = 0 if not text else 1 if len(text) <= 70 else math.ceil(len(text) / 67)
    assert size.parts == expected


@given(st.text(alphabet=sorted(GSM7_BASIC | GSM7_EXTENSION), max_size=600), st.text(max_size=5))
def test_adding_text_never_takes_fewer_parts(text: str, more: str) -> None:
    assert sms_parts(text + more) >= sms_parts(text)


@given(st.text(max_size=600))
def test_units_fit_in_the_parts(text: str) -> None:
    size = sms_size(text)
    per_part = 153 if size.encoding is SmsEncoding.gsm7 else 67
    single = 160 if size.encoding is SmsEncoding.gsm7 else 70
    if size.units <= single:
        assert size.parts == (1 if text else 0)
    else:
        # Never fewer parts than the units need, at most one more per pair kept whole.
        assert math.ceil(size.units / per_part) <= size.parts <= size.units
