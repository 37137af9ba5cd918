from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.pickup import (
    DEFAULT_SCHEDULE,
    free_days_left,
    parse_schedule,
    reminder_times,
    reminder_worth_sending,
    waiting_since,
)
from bot.domain.quiet_hours import QuietHours

KYIV = ZoneInfo("Europe/Kyiv")


def kyiv(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=KYIV)


@pytest.mark.parametrize(
    ("moment", "release"),
    [
        (kyiv(20, 22, 30), kyiv(21, 9)),  # evening: next morning
        (kyiv(21, 3), kyiv(21, 9)),  # night: this morning
        (kyiv(21, 9), None),  # the window is over
        (kyiv(21, 20, 59), None),
        (kyiv(21, 21), kyiv(22, 9)),
    ],
)
def test_night_messages_wait_for_the_morning(moment, release):
    quiet = QuietHours.parse("21:00-09:00")
    result = quiet.release_at(moment.astimezone(UTC), KYIV)
    assert result == (release.astimezone(UTC) if release else None)


def test_a_daytime_window_and_an_empty_one():
    lunch = QuietHours.parse("13:00-14:00")
    assert lunch.release_at(kyiv(21, 13, 30), KYIV) == kyiv(21, 14)
    assert lunch.release_at(kyiv(21, 12), KYIV) is None
    assert QuietHours.parse("00:00-00:00").release_at(kyiv(21, 3), KYIV) is None


@pytest.mark.parametrize("text", ["off", "OFF", " Off "])
def test_quiet_hours_can_be_switched_off(text):
    quiet = QuietHours.parse(text)
    assert quiet.release_at(kyiv(21, 3), KYIV) is None and not quiet.contains(time(23))
    assert str(quiet) == "off" and QuietHours.parse(str(quiet)) == quiet


@pytest.mark.parametrize("bad", ["", "21-09", "25:00-09:00", "21:00-09:61", "night"])
def test_bad_windows_are_refused(bad):
    with pytest.raises(ValueError):
        QuietHours.parse(bad)


@given(st.integers(0, 23), st.integers(0, 59), st.integers(0, 23), st.integers(0, 23))
def test_release_is_never_inside_the_window(hour, minute, start, end):
    quiet = QuietHours(time(start), time(end))
    moment = kyiv(21, hour, minute)
    release = quiet.release_at(moment, KYIV)
    if release is None:
        assert not quiet.contains(moment.time())
    else:
        assert release > moment and not quiet.contains(release.astimezone(KYIV).time())


def test_default_schedule_next_day_and_day_before_paid_storage():
    rules = parse_schedule(DEFAULT_SCHEDULE)
    times = reminder_times(
        rules,
        arrived_at=kyiv(20, 15),
        paid_storage_from=date(2026, 11, 27),
        zone=KYIV,
        now=kyiv(20, 15),
    )
    assert times == [kyiv(21, 11), kyiv(26, 11)]


def test_storage_rules_need_a_date_and_past_moments_are_dropped():
    rules = parse_schedule("arrival+0d@11:00, storage-1d@11:00")
    late = kyiv(20, 15)
    assert reminder_times(rules, arrived_at=late, paid_storage_from=None, zone=KYIV, now=late) == []
    early = kyiv(20, 9)
    same_day = reminder_times(rules, arrived_at=early, paid_storage_from=None, zone=KYIV, now=early)
    assert same_day == [kyiv(20, 11)]


def test_news_learnt_late_keeps_only_the_reminders_still_ahead():
    """Arrived 14 days ago, learnt now: the overdue reminders are dropped, not fired at once."""
    rules = parse_schedule("arrival+1d@11:00, storage-1d@11:00, storage+2d@11:00")
    times = reminder_times(
        rules,
        arrived_at=kyiv(6, 10),
        paid_storage_from=date(2026, 11, 19),
        zone=KYIV,
        now=kyiv(20, 10),
    )
    assert times == [kyiv(21, 11)]


@pytest.mark.parametrize(
    "bad", ["arrival+1@11:00", "pickup+1d@11:00", "arrival+1d@25:00", "storage-1d"]
)
def test_bad_schedules_are_refused_naming_the_part(bad):
    with pytest.raises(ValueError, match=r"reminder rule|does not exist"):
        parse_schedule(bad)


def test_a_reminder_waits_for_its_notice_and_gives_way():
    now = kyiv(21, 11)
    assert reminder_worth_sending(
        notice_pending=False, notice_sent_at=kyiv(20, 10), now=now, overtaken=False
    )
    assert reminder_worth_sending(
        notice_pending=False, notice_sent_at=None, now=now, overtaken=False
    )
    # The arrival notice is held by quiet hours, or went out two hours ago: no reminder.
    assert not reminder_worth_sending(
        notice_pending=True, notice_sent_at=None, now=now, overtaken=False
    )
    assert not reminder_worth_sending(
        notice_pending=False, notice_sent_at=kyiv(21, 9), now=now, overtaken=False
    )
    # A later reminder is due as well (the bot was down): that one goes instead.
    assert not reminder_worth_sending(
        notice_pending=False, notice_sent_at=kyiv(20, 10), now=now, overtaken=True
    )


def test_free_days_and_the_day_it_began_waiting():
    today = date(2026, 12, 7)
    assert free_days_left(date(2026, 12, 11), today) == 3  # free until the 10th
    assert free_days_left(date(2026, 12, 8), today) == 0  # today is the last free day
    assert free_days_left(date(2026, 12, 1), today) == -7  # free until 30 November
    assert free_days_left(None, today) is None
    now = datetime(2026, 12, 7, 10, 0, tzinfo=KYIV)
    assert waiting_since(datetime(2026, 11, 23, 15, 0, tzinfo=KYIV), now, KYIV) == date(
        2026, 11, 23
    )
    assert waiting_since(datetime(2026, 12, 7, 8, 0, tzinfo=KYIV), now, KYIV) is None
    assert waiting_since(datetime(2026, 12, 9, 8, 0, tzinfo=KYIV), now, KYIV) is None  # ahead
    assert waiting_since(None, now, KYIV) is None
