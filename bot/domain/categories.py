"""Customer categories: who a customer is to the shop, from what happened to their orders.

Only finished parcels count: orders that were received, refused (or are on their way back) and
returned. The rules, checked in this order, so every history gets exactly one category:

1. ``risky`` — at least 2 failed parcels (refused + returned) and no fewer failures than received
   parcels: a customer who leaves parcels at the branch as often as they pick them up;
2. ``vip`` — 5 or more received parcels, or received parcels worth 10 000 or more in total;
3. ``regular`` — at least one received parcel;
4. ``new`` — nothing received yet (a first order, or a single refusal).

More failures never make a customer less risky: once risky, another refusal keeps them risky.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final


class Category(StrEnum):
    new = "new"
    regular = "regular"
    vip = "vip"
    risky = "risky"


RISKY_FAILURES: Final = 2
VIP_RECEIVED: Final = 5
VIP_TOTAL: Final = Decimal("10000")


@dataclass(frozen=True)
class CustomerHistory:
    """How the customer's parcels ended; ``received_total`` sums the received orders' totals."""

    received: int = 0
    refused: int = 0
    returned: int = 0
    received_total: Decimal = Decimal("0")

    @property
    def failed(self) -> int:
        return self.refused + self.returned


def categorize(history: CustomerHistory) -> Category:
    """The one category the rules in this module's docstring give ``history``."""
    if history.failed >= RISKY_FAILURES and history.failed >= history.received:
        return Category.risky
    if history.received >= VIP_RECEIVED or history.received_total >= VIP_TOTAL:
        return Category.vip
    if history.received >= 1:
        return Category.regular
    return Category.new
