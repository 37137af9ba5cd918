"""Returns as the services hand them over to be shown: an order as returnable, what /return can
offer, and the figures of /stats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.returns import ItemLine, ReturnReason
from storage.models import Order


@dataclass(frozen=True)
class ReturnableOrder:
    order: Order
    received_on: date
    last_day: date
    window_open: bool
    lines: tuple[ItemLine, ...]

    @property
    def offerable(self) -> bool:
        return self.window_open and any(line.available for line in self.lines)


@dataclass(frozen=True)
class Offer:
    """What /return can offer: orders to return from, and received ones that can no longer be."""

    open: tuple[ReturnableOrder, ...]
    closed: tuple[ReturnableOrder, ...]


@dataclass(frozen=True)
class ReasonCount:
    reason: ReturnReason
    count: int


@dataclass(frozen=True)
class ReturnedProduct:
    name: str
    pieces: int
    reasons: tuple[ReasonCount, ...]  # most pieces first


@dataclass(frozen=True)
class ReturnFigures:
    """Return requests made in the period (withdrawn ones left out)."""

    reasons: tuple[ReasonCount, ...] = ()  # requests by reason, most first
    products: tuple[ReturnedProduct, ...] = ()  # most pieces first

    @property
    def requests(self) -> int:
        return sum(line.count for line in self.reasons)
