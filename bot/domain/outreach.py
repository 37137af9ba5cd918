"""Reaching customers outside Telegram by Viber or SMS: what may be sent, when, and at what cost.

Pure rules, no I/O. The service (``bot.services.outreach``) reads the facts (messages already sent
to a customer, this month's spending) and asks these functions what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

DAY: Final = timedelta(hours=24)


class Channel(StrEnum):
    viber = "viber"
    sms = "sms"


class ChannelPreference(StrEnum):
    """How a message may travel (``OUTREACH_CHANNELS``)."""

    # Viber first; the provider falls back to SMS by itself when Viber cannot deliver.
    viber_then_sms = "viber_then_sms"
    sms = "sms"
    viber = "viber"

    @property
    def channels(self) -> tuple[Channel, ...]:
        """The channels a message of this preference may go by, in the order they are tried."""
        if self is ChannelPreference.viber_then_sms:
            return (Channel.viber, Channel.sms)
        return (Channel(self.value),)


OFF: Final = "off"
CHANNEL_SETTINGS: Final = {
    "viber,sms": ChannelPreference.viber_then_sms,
    "sms": ChannelPreference.sms,
    "viber": ChannelPreference.viber,
}


def parse_channels(text: str) -> ChannelPreference | None:
    """``viber,sms`` | ``sms`` | ``viber`` | ``off`` (None); raise ValueError otherwise."""
    cleaned = ",".join(part.strip() for part in text.lower().split(",") if part.strip())
    if cleaned in ("", OFF):
        return None
    found = CHANNEL_SETTINGS.get(cleaned)
    if found is None:
        raise ValueError(f"{text!r}: write viber,sms or sms or viber (or off)")
    return found


class OutreachPurpose(StrEnum):
    """Why a message goes out: to get the order confirmed, or tracking news (OUTREACH_NOTICES)."""

    confirm = "confirm"
    arrived = "arrived"
    storage_last_day = "storage_last_day"


NOTICES: Final = frozenset({OutreachPurpose.arrived, OutreachPurpose.storage_last_day})
DEFAULT_NOTICES: Final = "arrived,storage_last_day"


def parse_notices(text: str) -> frozenset[OutreachPurpose]:
    """``arrived,storage_last_day`` (any of them; empty or ``off``: none)."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    if names in ([], [OFF]):
        return frozenset()
    allowed = {purpose.value: purpose for purpose in NOTICES}
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise ValueError(
            f"unknown notice {', '.join(unknown)}: choose from {', '.join(sorted(allowed))}"
        )
    return frozenset(allowed[name] for name in names)


class OutreachState(StrEnum):
    """Where one message is. ``skipped``: it was due but did not go (see ``SkipReason``)."""

    queued = "queued"  # in the outbox, not yet with the provider
    sent = "sent"  # the provider took it; no delivery report yet
    delivered = "delivered"
    read = "read"
    not_delivered = "not_delivered"
    expired = "expired"
    rejected = "rejected"  # refused by the provider or the network (stop list, bad number)
    failed = "failed"  # never taken by the provider (a request it refused for good)
    skipped = "skipped"

    @property
    def reached(self) -> bool:
        return self in (OutreachState.delivered, OutreachState.read)

    @property
    def missed(self) -> bool:
        """The customer was not reached by this message, and will not be."""
        return self in MISSED

    @property
    def final(self) -> bool:
        return self.reached or self.missed


MISSED: Final = frozenset(
    {
        OutreachState.not_delivered,
        OutreachState.expired,
        OutreachState.rejected,
        OutreachState.failed,
        OutreachState.skipped,
    }
)
# Delivery reports are asked for while a message is in one of these.
AWAITING_REPORT: Final = frozenset({OutreachState.sent, OutreachState.delivered})


class SkipReason(StrEnum):
    stopped = "stopped"  # the customer said STOP
    daily_limit = "daily_limit"  # OUTREACH_MAX_PER_DAY reached
    budget = "budget"  # OUTREACH_MONTHLY_BUDGET spent
    no_phone = "no_phone"  # the phone cannot take SMS (not a mobile number we can use)
    no_link = "no_link"  # the message's links cannot be made (no PUBLIC_URL)
    not_needed = "not_needed"  # answered, in the bot, or the parcel moved on before it went


@dataclass(frozen=True)
class Prices:
    """What one message costs in the shop's currency (SMS_PRICE per part, VIBER_PRICE each)."""

    sms: Decimal = Decimal("0")
    viber: Decimal = Decimal("0")

    def of(self, channel: Channel, parts: int) -> Decimal:
        return self.sms * parts if channel is Channel.sms else self.viber

    def worst(self, preference: ChannelPreference, parts: int) -> Decimal:
        """The most a message may cost: what the budget must have room for before it goes."""
        return max(self.of(channel, parts) for channel in preference.channels)


@dataclass(frozen=True)
class OutreachRules:
    """The outreach settings a use case needs; ``None`` in the context means outreach is off."""

    preference: ChannelPreference
    shop_name: str
    after: timedelta = timedelta(minutes=2)
    max_per_day: int = 2
    notices: frozenset[OutreachPurpose] = field(default_factory=lambda: NOTICES)
    prices: Prices = field(default_factory=Prices)
    monthly_budget: Decimal | None = None
    max_parts: int = 2


def next_room(sent_at: Iterable[datetime], now: datetime, limit: int) -> datetime | None:
    """None if one more message may go to this customer now; else when the next one may.

    At most ``limit`` messages in any 24 hours, counted back from ``now``: a rolling day, so that
    two orders at 23:50 and two at 00:10 do not make four messages in twenty minutes.
    """
    recent = sorted(moment for moment in sent_at if now - moment < DAY)
    if len(recent) < limit:
        return None
    return recent[len(recent) - limit] + DAY


def month_start(now: datetime, zone: ZoneInfo) -> datetime:
    """The first moment of ``now``'s calendar month in the shop's time zone."""
    local = now.astimezone(zone)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_key(now: datetime, zone: ZoneInfo) -> str:
    """``2026-12``: the budget's month, as the managers' one notice is keyed."""
    return f"{now.astimezone(zone):%Y-%m}"


def budget_allows(spent: Decimal, cost: Decimal, budget: Decimal | None) -> bool:
    """Whether a message of ``cost`` still fits this month's budget (None: no budget)."""
    return budget is None or spent + cost <= budget
