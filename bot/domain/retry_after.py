"""``Retry-After`` (RFC 9110 10.2.3): how long a server asked to be left alone."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """RFC 9110 10.2.3: delay-seconds or an HTTP-date; anything else, or a past date, is none."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return timedelta(seconds=int(text))
    try:
        at = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if at.tzinfo is None:
        return None
    wait = at - now
    return wait if wait > timedelta(0) else None
