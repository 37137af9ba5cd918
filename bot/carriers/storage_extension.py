"""The optional carrier capability "extend free storage": ask, then order.

A carrier client that can extend a waiting parcel's free storage implements
:class:`StorageExtension`; the services reach it only through this Protocol, so another carrier
gains the capability with one new module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol


class ExtensionRefused(Exception):
    """The carrier answered that it will not extend the storage, in its own words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ExtensionOffer:
    """What the carrier offers: the new last free day and what it costs (None: not said)."""

    tracking_number: str
    last_free_day: date
    cost: Decimal | None


@dataclass(frozen=True)
class ExtensionOrdered:
    """The carrier took the order; ``reference`` is its number for the request."""

    tracking_number: str
    last_free_day: date
    reference: str | None


class StorageExtension(Protocol):
    async def check_extension(self, tracking_number: str) -> ExtensionOffer:
        """Raise :class:`ExtensionRefused` when not possible, ``CarrierUnavailable`` on failure."""
        ...

    async def order_extension(self, offer: ExtensionOffer) -> ExtensionOrdered:
        """Order exactly ``offer``; same errors as :meth:`check_extension`."""
        ...
