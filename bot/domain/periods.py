"""Report periods (``/stats 7d``) and the calendar weeks that cover them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo


class ReportPeriod(IntEnum):
    """How many days back a report looks, ending now."""

    week = 7
    month = 30
    quarter = 90

    @property
    def code(self) -> str:
        """As the admin types it: ``7d``, ``30d``, ``90d``."""
        return f"{self.value}d"

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """``(since, until]``: the period that ends at ``now``."""
        return now - timedelta(days=self.value), now


DEFAULT_PERIOD = ReportPeriod.month
PERIOD_CODES = tuple(period.code for period in ReportPeriod)


def parse_period(text: str | None) -> ReportPeriod | None:
    """``7d``, ``30d`` or ``90d`` (any case, spaces around); nothing means the default.

    Anything else is None: the caller answers with the usage.
    """
    value = (text or "").strip().lower()
    if not value:
        return DEFAULT_PERIOD
    for period in ReportPeriod:
        if value == period.code:
            return period
    return None


@dataclass(frozen=True)
class Week:
    """One ISO week (Monday to Sunday in the shop's time zone), cut to the report's period."""

    monday: date  # local date: the week's label
    start: datetime  # UTC, the later of the local Monday 00:00 and the period's start
    end: datetime  # UTC, the earlier of the next local Monday 00:00 and the period's end


def weeks_between(since: datetime, until: datetime, zone: ZoneInfo) -> tuple[Week, ...]:
    """The ISO weeks, in ``zone``, that ``(since, until]`` touches, oldest first.

    The first and the last week are usually partial: only their part inside the period counts.
    """
    if until <= since:
        return ()
    first = since.astimezone(zone).date()
    monday = first - timedelta(days=first.weekday())
    weeks: list[Week] = []
    start = since
    while start < until:
        following = monday + timedelta(days=7)
        boundary = datetime.combine(following, time(0), tzinfo=zone).astimezone(UTC)
        end = min(boundary, until)
        weeks.append(Week(monday=monday, start=start, end=end))
        monday, start = following, end
    return tuple(weeks)
