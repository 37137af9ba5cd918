"""Reading one field of an NP document whatever type or format it arrives in.

Each reader returns None for anything it cannot understand; none of them raises. NP sends the
same field as a string in one answer and as a number in the next (``"AnnouncedPrice": ""`` /
``400``), dates in at least five spellings, and ``""`` for "nothing".
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final
from zoneinfo import ZoneInfo

KYIV: Final = ZoneInfo("Europe/Kyiv")

# Every spelling seen in NP answers (examples from the samples), most common first.
DATETIME_FORMATS: Final[tuple[str, ...]] = (
    "%Y-%m-%d %H:%M:%S",  # TrackingUpdateDate "2022-03-08 15:16:53"
    "%d.%m.%Y %H:%M:%S",  # RecipientDateTime "08.03.2022 15:16:47"
    "%d-%m-%Y %H:%M:%S",  # DateCreated, ScheduledDeliveryDate "26-02-2022 11:08:03"
    "%H:%M %d.%m.%Y",  # DateScan "15:16 08.03.2022"
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S",
)
DATE_FORMATS: Final[tuple[str, ...]] = (
    "%Y-%m-%d",  # DateFirstDayStorage "2022-03-16"
    "%d.%m.%Y",
    "%d-%m-%Y",
)
# "0001-01-01 00:00:00" and friends are placeholders, not dates.
EARLIEST_YEAR: Final = 2000
MAX_TEXT: Final = 500


def text(value: object) -> str | None:
    """A non-empty string (numbers are spelled out; booleans, lists and objects are not text)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    stripped = " ".join(value.split())
    return stripped[:MAX_TEXT] or None


def decimal(value: object) -> Decimal | None:
    """``"96"``, ``96``, ``2.5``, ``"2,50"``, ``"1 200.00"`` → Decimal; ``""``, ``"abc"`` → None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    cleaned = "".join(value.split()).replace(",", ".")
    if not cleaned or len(cleaned) > 32:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def flag(value: object) -> bool | None:
    """``true``/``false``, ``1``/``0`` and their string spellings; anything else → None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower())
    return None


def local_datetime(value: object) -> datetime | None:
    """NP's wall-clock time as written (naive, Kyiv local), or None for blanks and garbage."""
    if not isinstance(value, str):
        return None
    raw = " ".join(value.split())
    if not raw or len(raw) > 40:
        return None
    for fmt in DATETIME_FORMATS + DATE_FORMATS:
        try:
            parsed = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return parsed if parsed.year >= EARLIEST_YEAR else None
    return None


def instant(value: object) -> datetime | None:
    """An NP time (Kyiv local) as a timezone-aware UTC datetime."""
    local = local_datetime(value)
    if local is None:
        return None
    return local.replace(tzinfo=KYIV).astimezone(UTC)


def day(value: object) -> date | None:
    """The calendar day of an NP date or date-time, as NP (in Kyiv) means it."""
    local = local_datetime(value)
    return local.date() if local is not None else None
