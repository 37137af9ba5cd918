"""/stats periods: what the admin may type, and the calendar weeks a period covers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.domain.periods import PERIOD_CODES, ReportPeriod, parse_period, weeks_between

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ReportPeriod.month),
        ("", ReportPeriod.month),
        ("   ", ReportPeriod.month),
        ("7d", ReportPeriod.week),
        (" 30d ", ReportPeriod.month),
        ("90D", ReportPeriod.quarter),
    ],
)
def test_the_three_periods_and_the_default(text, expected):
    assert parse_period(text) is expected


@pytest.mark.parametrize(
    "text", ["5y", "7", "d7", "7 d", "14d", "-7d", "7d 30d", "7д", "１d", "30d\n90d", "x" * 5000]
)
def test_anything_else_is_refused(text):
    assert parse_period(text) is None


def test_codes_and_windows():
    assert PERIOD_CODES == ("7d", "30d", "90d")
    now = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert ReportPeriod.week.window(now) == (now - timedelta(days=7), now)
    assert ReportPeriod.quarter.window(now) == (now - timedelta(days=90), now)


def test_weeks_are_local_iso_weeks_cut_to_the_period():
    # Friday 20 Nov 2026, 10:00 in Kyiv (UTC+2); seven days back: Friday 13 Nov.
    until = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    since = until - timedelta(days=7)
    weeks = weeks_between(since, until, KYIV)
    assert [week.monday for week in weeks] == [date(2026, 11, 9), date(2026, 11, 16)]
    monday_midnight = datetime(2026, 11, 15, 22, 0, tzinfo=UTC)  # 16 Nov 00:00 in Kyiv
    assert (weeks[0].start, weeks[0].end) == (since, monday_midnight)
    assert (weeks[1].start, weeks[1].end) == (monday_midnight, until)


def test_week_boundaries_follow_daylight_saving_time():
    # Kyiv leaves summer time on Sunday 25 Oct 2026: Monday 19 Oct begins at 21:00 UTC,
    # Monday 26 Oct at 22:00 UTC.
    since = datetime(2026, 10, 17, 12, 0, tzinfo=UTC)
    until = datetime(2026, 10, 28, 12, 0, tzinfo=UTC)
    weeks = weeks_between(since, until, KYIV)
    assert [week.monday for week in weeks] == [
        date(2026, 10, 12),
        date(2026, 10, 19),
        date(2026, 10, 26),
    ]
    assert weeks[1].start == datetime(2026, 10, 18, 21, 0, tzinfo=UTC)
    assert weeks[2].start == datetime(2026, 10, 25, 22, 0, tzinfo=UTC)


def test_weeks_cover_the_period_without_gaps():
    until = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    for period in ReportPeriod:
        since, _ = period.window(until)
        weeks = weeks_between(since, until, KYIV)
        assert weeks[0].start == since and weeks[-1].end == until
        assert all(a.end == b.start for a, b in pairwise(weeks))
        assert all(b.monday - a.monday == timedelta(days=7) for a, b in pairwise(weeks))
        assert all(week.monday.weekday() == 0 for week in weeks)
    assert len(weeks_between(*ReportPeriod.quarter.window(until), KYIV)) == 14


def test_an_empty_period_has_no_weeks():
    moment = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert weeks_between(moment, moment, KYIV) == ()
