"""Durations written the way a shop owner writes them: ``45s``, ``15m``, ``2h``, ``1d``."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_PATTERN = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)


def parse_duration(text: str) -> timedelta:
    """Parse ``<number><unit>``; raise ValueError with a human message otherwise."""
    match = _PATTERN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration; write it like 45s, 15m, 2h or 1d")
    amount, unit = int(match.group(1)), match.group(2).lower()
    if amount <= 0:
        raise ValueError(f"{text!r} must be longer than zero")
    return timedelta(**{_UNITS[unit]: amount})


def format_duration(value: timedelta) -> str:
    """The shortest exact spelling of a duration, the inverse of :func:`parse_duration`."""
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
