"""Pickup points (a carrier's branches and parcel lockers): which one an order names, whether it
can take the parcel, and the customer's search for another. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

PAGE_SIZE: Final = 8  # points shown as buttons at a time
MIN_QUERY: Final = 1
MAX_QUERY: Final = 100
# The point's description on the order: Order.point is String(200).
POINT_TEXT_LENGTH: Final = 200
# NP's Ref is a GUID: what a button may carry and the cache stores.
REF_PATTERN: Final = (
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_REF = re.compile(REF_PATTERN)
# "Відділення №12: вул. …", "Поштомат "Нова Пошта" №5501", "№ 12", "#12", "відділення 12", "12".
_NUMBER_MARK = re.compile(r"(?:№|#|N\s*o?\.?)\s*(\d{1,6})\b", re.IGNORECASE)
_BARE_NUMBER = re.compile(
    r"^\s*(?:(?:відділення|вiддiлення|отделение|поштомат|почтомат|branch|locker)\s*)?(\d{1,6})\s*$",
    re.IGNORECASE,
)


class PointCheck(StrEnum):
    """``orders.point_check``: what the check of the order's point found (None: not checked)."""

    pending = "pending"  # to be looked up (after intake, outside its transaction)
    ok = "ok"
    unknown = "unknown"  # the carrier has no such point in the order's city
    closed = "closed"  # the point does not work (temporarily or for good)
    too_heavy = "too_heavy"  # the point does not take a parcel of this weight
    skipped = "skipped"  # could not be checked (the carrier did not answer): nothing said


PROBLEMS: Final = frozenset({PointCheck.unknown, PointCheck.closed, PointCheck.too_heavy})


@dataclass(frozen=True)
class PickupPoint:
    """One branch or parcel locker as the carrier lists it."""

    ref: str  # the carrier's id of the point (NP: Ref)
    number: str  # the number people say ("12"); "" when the carrier gives none
    description: str  # "Відділення №12: вул. Хрещатик, 22"
    short_address: str = ""
    working: bool = True
    max_weight: Decimal | None = None  # kg a parcel (one place) may weigh; None: no limit given
    locker: bool = False  # a parcel locker (NP: Postomat) rather than a branch

    def takes(self, weight: Decimal | None) -> bool:
        return weight is None or self.max_weight is None or weight <= self.max_weight


def valid_ref(ref: str) -> bool:
    return bool(_REF.match(ref))


def number_in(text: str) -> str | None:
    """The point number a person or a shop wrote: "Відділення №12", "№ 12", "#12", "12"."""
    mark = _NUMBER_MARK.search(text)
    if mark is not None:
        return str(int(mark.group(1)))
    bare = _BARE_NUMBER.match(text)
    return str(int(bare.group(1))) if bare is not None else None


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").replace("ʼ", "'").split())


def find_point(
    points: Sequence[PickupPoint], text: str, ref: str | None = None
) -> PickupPoint | None:
    """The point an order names: by the carrier's ref when it has one, else by the text (the whole
    description, or the number in it). None: no such point in the list."""
    if ref:
        return next((point for point in points if point.ref == ref), None)
    wanted = _norm(text)
    for point in points:
        if wanted in (_norm(point.description), _norm(point.ref)):
            return point
    number = number_in(text)
    if number is None:
        return None
    # A locker's number never names a branch and the other way round when the text says which.
    lockers = "поштомат" in wanted or "почтомат" in wanted or "postomat" in wanted
    matches = [point for point in points if point.number == number]
    preferred = [point for point in matches if point.locker == lockers]
    chosen = preferred or matches
    return chosen[0] if chosen else None


def verdict(point: PickupPoint | None, weight: Decimal | None) -> PointCheck:
    """What the customer's card should say about the point."""
    if point is None:
        return PointCheck.unknown
    if not point.working:
        return PointCheck.closed
    if not point.takes(weight):
        return PointCheck.too_heavy
    return PointCheck.ok


def search(
    points: Sequence[PickupPoint], query: str, weight: Decimal | None = None
) -> list[PickupPoint]:
    """Working points that take the parcel, matching a number ("12", "№12") or words of the
    street ("хрещатик 22"), numbers first in numeric order."""
    usable = [point for point in points if point.working and point.takes(weight)]
    number = number_in(query)
    if number is not None:
        by_number = [point for point in usable if point.number == number]
        if by_number:
            return by_number
    words = re.findall(r"\w+", _norm(query))
    if not words:
        return []
    found = [
        point
        for point in usable
        if all(word in _norm(f"{point.description} {point.short_address}") for word in words)
    ]
    return sorted(found, key=lambda point: (not point.number.isdigit(), _as_int(point.number)))


def _as_int(number: str) -> int:
    return int(number) if number.isdigit() else 0


def page_of(found: Sequence[PickupPoint], page: int) -> tuple[list[PickupPoint], int]:
    """Page ``page`` (from 0, clamped) of the points and how many pages there are."""
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    return list(found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]), pages


def point_text(point: PickupPoint) -> str:
    """The point as the order stores it."""
    return point.description[:POINT_TEXT_LENGTH]
