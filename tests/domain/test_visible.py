"""Names must show something; what managers read carries no bidi controls."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.visible import BIDI_CONTROLS, VISIBLE_PATTERN, has_visible, without_bidi

INVISIBLE_SAMPLES = [
    "",
    " ",
    "\u200b",  # zero-width space
    "\ufeff",  # BOM
    "\u200b\u200c\u200d\u2060",  # zero-width (non-)joiners, word joiner
    "\u202e\u2066\u200f\u061c",  # bidi controls only
    "\u00a0\u3000\u2028",  # no-break, ideographic space, line separator
    "\u3164\u2800",  # Hangul filler, blank Braille pattern
    "\U000e0041",  # a tag character
]


@pytest.mark.parametrize("text", INVISIBLE_SAMPLES)
def test_text_of_only_invisible_characters_shows_nothing(text: str) -> None:
    assert not has_visible(text)


@pytest.mark.parametrize("text", ["Олена", " \u200bІ", "李", "🙂", "\u202eОлена", "-", "7"])
def test_one_visible_character_is_enough(text: str) -> None:
    assert has_visible(text)


def test_bidi_controls_are_removed_and_the_rest_kept() -> None:
    assert without_bidi("\u202eanelO\u202c \u2066+380\u2069 \u200eok\u200f\u061c") == (
        "anelO +380 ok"
    )


@given(st.text())
def test_without_bidi_leaves_no_bidi_control_and_keeps_every_other_character(text: str) -> None:
    cleaned = without_bidi(text)

    assert BIDI_CONTROLS.isdisjoint(cleaned)
    assert cleaned == "".join(ch for ch in text if ch not in BIDI_CONTROLS)
    assert without_bidi(cleaned) == cleaned


@given(st.text())
def test_visible_means_a_letter_digit_mark_punctuation_or_symbol(text: str) -> None:
    graphic = any(
        (unicodedata.category(ch)[0] in "LMNPS" and ch not in "\u115f\u1160\u3164\uffa0\u2800")
        or unicodedata.category(ch) in ("Cn", "Co", "Cs")
        for ch in text
    )

    assert has_visible(text) is graphic


@given(st.text())
def test_the_documented_pattern_is_the_rule(text: str) -> None:
    assert (re.search(VISIBLE_PATTERN, text) is not None) is has_visible(text)
