"""The tracking messages a shop may rewrite, and the placeholders each one may use."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final, NamedTuple

from bot.domain.categories import Category
from bot.domain.languages import Language


class TemplateKey(StrEnum):
    shipped = "shipped"
    arrived = "arrived"
    pickup_reminder = "pickup_reminder"
    received = "received"
    why_not_taken = "why_not_taken"
    storage_ended = "storage_ended"
    delivery_failed = "delivery_failed"


_ORDER = ("number", "customer_name", "total")
_PARCEL = (*_ORDER, "carrier", "tracking")
_AT_BRANCH = (*_PARCEL, "point", "amount", "storage_until")

PLACEHOLDERS: Final[Mapping[TemplateKey, tuple[str, ...]]] = {
    TemplateKey.shipped: (*_PARCEL, "expected_delivery"),
    TemplateKey.arrived: _AT_BRANCH,
    TemplateKey.pickup_reminder: _AT_BRANCH,
    TemplateKey.received: _ORDER,
    TemplateKey.why_not_taken: _ORDER,
    TemplateKey.storage_ended: _PARCEL,
    TemplateKey.delivery_failed: _PARCEL,
}


class Address(NamedTuple):
    """Where an override lives in the file: ``arrived.uk`` (any category) or ``arrived.vip.uk``."""

    key: TemplateKey
    category: Category | None
    language: Language

    def __str__(self) -> str:
        parts = [self.key.value, self.category.value if self.category else None, self.language]
        return ".".join(part for part in parts if part)
