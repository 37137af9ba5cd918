"""A customer as managers see them: rated, with their latest orders and notes, in pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.risk import Assessment, CustomerRecord
from storage.models import Customer, CustomerNote, Order


@dataclass(frozen=True)
class RatedCustomer:
    customer: Customer
    record: CustomerRecord
    assessment: Assessment


@dataclass(frozen=True)
class CustomerRating:
    rated: RatedCustomer
    recent_orders: Sequence[Order]
    notes: Sequence[CustomerNote]
    # Names the customer's orders came with besides the one they are called by, latest first.
    other_names: Sequence[str] = ()


@dataclass(frozen=True)
class BlacklistPage:
    entries: Sequence[RatedCustomer]
    page: int
    pages: int
    total: int
