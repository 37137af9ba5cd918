"""The small interface every carrier client implements, and what it hands back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from bot.domain.shipments import ShipmentStatus


class CarrierUnavailable(Exception):
    """The carrier could not answer this time (timeout, 5xx, garbage, an error envelope).

    Nothing about the parcels is known from such an attempt; ask again later.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CarrierKeyRejected(CarrierUnavailable):
    """The carrier refused the API key (wrong, expired, revoked): a person must set a new one."""


@dataclass(frozen=True)
class TrackingQuery:
    tracking_number: str
    phone: str | None = None  # E.164, "+380501234567"; makes the carrier's answer complete


@dataclass(frozen=True)
class CarrierUpdate:
    """What the carrier says about one parcel right now. Every field may be unknown."""

    tracking_number: str  # exactly as it was in the TrackingQuery
    status: ShipmentStatus | None  # None: the carrier's code means nothing new or is unknown
    carrier_code: str | None = None
    carrier_text: str | None = None
    occurred_at: datetime | None = None  # timezone-aware UTC
    point: str | None = None  # the branch or parcel locker the customer picks the parcel up from
    expected_delivery: date | None = None
    paid_storage_from: date | None = None  # the first day of paid storage
    cod_amount: Decimal | None = None  # what the customer pays for the goods on delivery
    can_extend_storage: bool | None = None
    not_found: bool = False  # the carrier does not know this number (or it is malformed)


class CarrierClient(Protocol):
    name: str
    max_batch: int

    async def track(self, queries: Sequence[TrackingQuery]) -> list[CarrierUpdate]:
        """One update per parcel the carrier answered about.

        Raise :class:`CarrierUnavailable` when the carrier as a whole did not answer; one
        document the carrier garbled is skipped, the others are still returned.
        """
        ...
