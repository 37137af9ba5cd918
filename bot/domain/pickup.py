"""When to remind a customer that their parcel waits: relative to arrival or to paid storage."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Anchor(StrEnum):
    arrival = "arrival"  # the day the parcel arrived
    storage = "storage"  # the day paid storage begins


@dataclass(frozen=True)
class ReminderRule:
    anchor: Anchor
    days: int  # added to the anchor day; negative means before
    at: time

    def __str__(self) -> str:
        return f"{self.anchor}{self.days:+d}d@{self.at:%H:%M}"


_RULE = re.compile(r"^(arrival|storage)([+-]\d{1,2})d@(\d{1,2}):(\d{2})$")
DEFAULT_SCHEDULE = "arrival+1d@11:00,storage-1d@11:00"


def parse_schedule(text: str) -> tuple[ReminderRule, ...]:
    """``arrival+1d@11:00,storage-1d@11:00``; raise ValueError naming the bad part."""
    rules = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        match = _RULE.match(part)
        if not match:
            raise ValueError(
                f"{part!r} is not a reminder rule; write it like arrival+1d@11:00 or storage-1d@11:00"
            )
        anchor, days, hour, minute = match.groups()
        if int(hour) > 23 or int(minute) > 59:
            raise ValueError(f"{part!r} has a time that does not exist")
        rules.append(ReminderRule(Anchor(anchor), int(days), time(int(hour), int(minute))))
    return tuple(rules)


def reminder_times(
    rules: tuple[ReminderRule, ...],
    *,
    arrived_at: datetime,
    paid_storage_from: date | None,
    zone: ZoneInfo,
    now: datetime,
) -> list[datetime]:
    """The moments still to remind, in order, without duplicates.

    Moments at or before arrival, or already past at ``now``, are dropped: news learnt late
    must not fire every overdue reminder at once. Rules anchored on paid storage are skipped
    when the carrier did not say when it begins.
    """
    arrival_day = arrived_at.astimezone(zone).date()
    after = max(arrived_at, now)
    moments = set()
    for rule in rules:
        anchor_day = arrival_day if rule.anchor is Anchor.arrival else paid_storage_from
        if anchor_day is None:
            continue
        moment = datetime.combine(anchor_day + timedelta(days=rule.days), rule.at, tzinfo=zone)
        if moment > after:
            moments.add(moment)
    return sorted(moments)


# A reminder this soon after the arrival notice reminds of nothing (the notice is still fresh).
REMINDER_GAP = timedelta(hours=12)


def reminder_worth_sending(
    *, notice_pending: bool, notice_sent_at: datetime | None, now: datetime, overtaken: bool
) -> bool:
    """Whether a due pickup reminder goes out now.

    Not while the arrival notice it reminds of has not gone out (quiet hours hold it, or it is
    still queued), not within ``REMINDER_GAP`` after it, and not when a later reminder is due
    too (the bot was down): that one speaks for both. ``notice_sent_at`` is None when unknown
    (housekeeping removed the record long after it ran).
    """
    if notice_pending or overtaken:
        return False
    return notice_sent_at is None or now - notice_sent_at >= REMINDER_GAP


def free_days_left(paid_storage_from: date | None, today: date) -> int | None:
    """Free days after today (0: today is the last free day; negative: paid storage runs)."""
    if paid_storage_from is None:
        return None
    return (paid_storage_from - timedelta(days=1) - today).days


def waiting_since(arrived_at: datetime | None, now: datetime, zone: ZoneInfo) -> date | None:
    """The day the parcel arrived, when that was before today (news learnt late, or a reminder)."""
    if arrived_at is None:
        return None
    day = min(arrived_at, now).astimezone(zone).date()
    return day if day < now.astimezone(zone).date() else None
