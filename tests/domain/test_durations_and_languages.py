from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.durations import format_duration, parse_duration
from bot.domain.languages import Language, resolve_language, supported


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45s", timedelta(seconds=45)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        (" 60M ", timedelta(hours=1)),
    ],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("bad", ["", "15", "m", "1.5h", "-5m", "0m", "15 minutes", "1w"])
def test_bad_durations_are_refused_with_a_hint(bad):
    with pytest.raises(ValueError, match=r"45s, 15m, 2h or 1d|longer than zero"):
        parse_duration(bad)


@given(st.integers(min_value=1, max_value=10**7))
def test_format_is_the_inverse_of_parse(seconds):
    value = timedelta(seconds=seconds)
    assert parse_duration(format_duration(value)) == value


def test_language_codes_map_to_supported_languages():
    assert supported("uk") is Language.uk
    assert supported("en-GB") is Language.en
    assert supported("ru_RU") is Language.ru
    assert supported("de") is None
    assert supported(None) is None


def test_choice_beats_order_beats_telegram_beats_default():
    pick = resolve_language
    assert (
        pick(chosen="en", order_language="ru", telegram_language="uk", default=Language.uk)
        is Language.en
    )
    assert (
        pick(chosen=None, order_language="ru", telegram_language="en", default=Language.uk)
        is Language.ru
    )
    assert (
        pick(chosen=None, order_language=None, telegram_language="en-US", default=Language.uk)
        is Language.en
    )
    assert (
        pick(chosen=None, order_language=None, telegram_language="de", default=Language.ru)
        is Language.ru
    )
