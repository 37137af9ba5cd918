"""Quiet hours: nobody gets a non-urgent message at night."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
OFF = "off"


class QuietMode(StrEnum):
    defer = "defer"  # hold non-urgent messages until quiet hours end
    silent = "silent"  # send at once, without a notification sound


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """``21:00-09:00`` (may wrap midnight) or ``off``; raise ValueError with a hint otherwise."""
        if text.strip().lower() == OFF:
            return cls.never()
        match = _WINDOW.match(text)
        if not match:
            raise ValueError(
                f"{text!r} is not a time window; write it like 21:00-09:00 (or off for none)"
            )
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"{text!r} has a time that does not exist")
        return cls(time(h1, m1), time(h2, m2))

    @classmethod
    def never(cls) -> QuietHours:
        """No quiet hours: an empty window."""
        return cls(time(0, 0), time(0, 0))

    @property
    def is_off(self) -> bool:
        return self.start == self.end

    def __str__(self) -> str:
        return OFF if self.is_off else f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, local: time) -> bool:
        if self.is_off:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def release_at(self, moment: datetime, zone: ZoneInfo) -> datetime | None:
        """When a message due at ``moment`` may go out, or None if it may go now."""
        local = moment.astimezone(zone)
        if not self.contains(local.time()):
            return None
        day = local.date()
        if local.time() >= self.end:  # evening part of a window that wraps midnight
            day += timedelta(days=1)
        release = datetime.combine(day, self.end, tzinfo=zone)
        return release.astimezone(moment.tzinfo)
