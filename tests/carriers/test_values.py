"""Reading NP field values whatever the type or format."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.carriers.novaposhta import values


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-11-23 10:53:03", datetime(2021, 11, 23, 10, 53, 3)),
        ("23.11.2021 10:53:03", datetime(2021, 11, 23, 10, 53, 3)),
        ("23-11-2021 10:53:03", datetime(2021, 11, 23, 10, 53, 3)),
        ("10:53 23.11.2021", datetime(2021, 11, 23, 10, 53)),
        ("2021-11-23", datetime(2021, 11, 23)),
        ("23.11.2021", datetime(2021, 11, 23)),
        ("  2021-11-23   10:53:03 ", datetime(2021, 11, 23, 10, 53, 3)),
    ],
)
def test_every_date_spelling(raw: str, expected: datetime) -> None:
    assert values.local_datetime(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "0000-00-00 00:00:00",
        "0000-00-00",
        "0001-01-01 00:00:00",
        "31.02.2022",
        "soon",
        None,
        1637657583,
        2.5,
        True,
        [],
        {},
        "2021-11-23" * 10,
    ],
)
def test_blank_and_garbage_dates_are_none(raw: object) -> None:
    assert values.local_datetime(raw) is None
    assert values.instant(raw) is None
    assert values.day(raw) is None


def test_kyiv_time_becomes_utc_in_winter_and_summer() -> None:
    assert values.instant("2022-03-08 15:16:53") == datetime(2022, 3, 8, 13, 16, 53, tzinfo=UTC)
    assert values.instant("07.04.2023 13:35:58") == datetime(2023, 4, 7, 10, 35, 58, tzinfo=UTC)


def test_day_is_the_kyiv_calendar_day() -> None:
    # 00:30 in Kyiv is still the previous day in UTC; the day NP means is the Kyiv one.
    assert values.day("2022-03-16 00:30:00") == date(2022, 3, 16)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("96", Decimal(96)),
        (96, Decimal(96)),
        (2.5, Decimal("2.5")),
        ("2.50", Decimal("2.50")),
        ("2,50", Decimal("2.50")),
        ("1 200.00", Decimal("1200.00")),
    ],
)
def test_numbers_as_strings_or_numbers(raw: object, expected: Decimal) -> None:
    assert values.decimal(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "abc", "NaN", "Infinity", None, True, [1], {"a": 1}, float("nan"), "9" * 40]
)
def test_not_numbers(raw: object) -> None:
    assert values.decimal(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("true", True),
        ("False", False),
        ("1", True),
        ("0", False),
        ("maybe", None),
        (2, None),
        (None, None),
        ([], None),
    ],
)
def test_flags(raw: object, expected: bool | None) -> None:
    assert values.flag(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Київ,\n вул.  Хрещатик ", "Київ, вул. Хрещатик"),
        ("", None),
        (" ", None),
        (98, "98"),
        (None, None),
        (False, None),
        ([], None),
        ({"uk": "x"}, None),
    ],
)
def test_text(raw: object, expected: str | None) -> None:
    assert values.text(raw) == expected
