"""The tracking messages a shop may rewrite, and the placeholders each one may use."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final, NamedTuple

from bot.domain.categories import Category
from bot.domain.languages import Language
from bot.domain.returns import ReturnReason


class TemplateKey(StrEnum):
    shipped = "shipped"
    arrived = "arrived"
    pickup_reminder = "pickup_reminder"
    received = "received"
    why_not_taken = "why_not_taken"
    storage_ended = "storage_ended"
    delivery_failed = "delivery_failed"
    # Returns: how to pack it, per reason, and where to send it (after a request is submitted)
    return_packing_wrong_size = "return_packing_wrong_size"
    return_packing_defective = "return_packing_defective"
    return_packing_damaged = "return_packing_damaged"
    return_packing_not_as_described = "return_packing_not_as_described"
    return_packing_wrong_item = "return_packing_wrong_item"
    return_packing_changed_mind = "return_packing_changed_mind"
    return_packing_other = "return_packing_other"
    return_address = "return_address"
    # Viber/SMS to customers outside Telegram: plain text, no HTML (README, "Customers outside
    # Telegram"). The SMS ones are counted in SMS parts at start (SMS_MAX_PARTS).
    outreach_confirm_sms = "outreach_confirm_sms"
    outreach_confirm_viber = "outreach_confirm_viber"
    outreach_arrived = "outreach_arrived"
    outreach_storage_last_day = "outreach_storage_last_day"

    @classmethod
    def packing(cls, reason: ReturnReason) -> TemplateKey:
        """``return_packing_<reason name>``: how to pack a return for this reason."""
        return cls(f"return_packing_{reason.name}")


_ORDER = ("number", "customer_name", "total")
_PARCEL = (*_ORDER, "carrier", "tracking")
# storage: free storage as it stands when sent (days left, or paid storage running);
# waiting_since: the day it arrived, when that was before the day the message goes out.
_AT_BRANCH = (*_PARCEL, "point", "amount", "storage_until", "storage", "waiting_since")
_RETURN = (*_ORDER, "return_number")
_OUTREACH = ("shop", *_ORDER, "page_link", "telegram_link")
_OUTREACH_PARCEL = (
    "shop",
    *_ORDER,
    "tracking",
    "point",
    "amount",
    "storage_until",
    "telegram_link",
)

PLACEHOLDERS: Final[Mapping[TemplateKey, tuple[str, ...]]] = {
    TemplateKey.shipped: (*_PARCEL, "expected_delivery"),
    TemplateKey.arrived: _AT_BRANCH,
    TemplateKey.pickup_reminder: _AT_BRANCH,
    TemplateKey.received: _ORDER,
    TemplateKey.why_not_taken: _ORDER,
    TemplateKey.storage_ended: _PARCEL,
    TemplateKey.delivery_failed: _PARCEL,
    **{TemplateKey.packing(reason): _RETURN for reason in ReturnReason},
    TemplateKey.return_address: (*_RETURN, "address"),
    TemplateKey.outreach_confirm_sms: _OUTREACH,
    TemplateKey.outreach_confirm_viber: _OUTREACH,
    TemplateKey.outreach_arrived: _OUTREACH_PARCEL,
    TemplateKey.outreach_storage_last_day: _OUTREACH_PARCEL,
}
# Texts that leave Telegram: plain text (values are not HTML-escaped, no tags are allowed).
PLAIN_KEYS: Final = frozenset(
    {
        TemplateKey.outreach_confirm_sms,
        TemplateKey.outreach_confirm_viber,
        TemplateKey.outreach_arrived,
        TemplateKey.outreach_storage_last_day,
    }
)
# The ones that may go by SMS, so are held to SMS_MAX_PARTS (Viber takes a longer text).
SMS_KEYS: Final = PLAIN_KEYS - {TemplateKey.outreach_confirm_viber}


class Address(NamedTuple):
    """Where an override lives in the file: ``arrived.uk`` (any category) or ``arrived.vip.uk``."""

    key: TemplateKey
    category: Category | None
    language: Language

    def __str__(self) -> str:
        parts = [self.key.value, self.category.value if self.category else None, self.language]
        return ".".join(part for part in parts if part)
