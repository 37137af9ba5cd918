"""The customer rating: how likely a customer is to leave a cash-on-delivery parcel at the branch.

Everything here is pure: the service layer loads a :class:`CustomerRecord` from storage and this
module turns it into an :class:`Assessment` — a level, a score from 0 to 100 and the reasons that
explain both, so that a manager can see *why*. The formula (documented with a worked example in
the README, "The customer rating"):

score = 20 per refused parcel in the last ``recent_days`` (10 if older)
      + 10 per order cancelled after the customer had confirmed it
      + 10 when the last two finished parcels were both refused
      + 50 fraud flag, 15 rude flag, 10 wrong-address flag
      − 10 per parcel picked up
clamped to 0…100.

Level, checked in this order:

1. ``blacklisted`` — a manager blacklisted the customer by hand; or the automatic rule holds
   (at least ``blacklist_refusals`` refused parcels and a buyout below ``blacklist_buyout`` %)
   and no manager has unblocked the customer since their last refusal;
2. ``risky`` — score at least ``risky_score``;
3. ``ok`` — everyone else, new customers included: one refusal is 20 points, not a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final, TypeVar


class RiskLevel(StrEnum):
    ok = "ok"
    risky = "risky"
    blacklisted = "blacklisted"


class Flag(StrEnum):
    """What a manager can mark a customer with (``/flag``)."""

    rude = "rude"
    fraud = "fraud"
    address = "address"


class ManualState(StrEnum):
    blacklisted = "blacklisted"
    unblocked = "unblocked"


class RiskPolicy(StrEnum):
    """What happens to a new cash-on-delivery order of a customer at a given level."""

    alert = "alert"  # warn the managers; the customer confirms as usual
    hold = "hold"  # on hold until a manager decides; the customer is not asked yet
    prepay = "prepay"  # the customer is told the order needs prepayment
    cancel = "cancel"  # cancelled at once


REFUSAL_POINTS: Final = 20
OLD_REFUSAL_POINTS: Final = 10
RECEIVED_CREDIT: Final = 10
CANCELLED_AFTER_CONFIRMATION_POINTS: Final = 10
STREAK_POINTS: Final = 10
STREAK_LENGTH: Final = 2
FLAG_POINTS: Final[Mapping[Flag, int]] = MappingProxyType(
    {Flag.fraud: 50, Flag.rude: 15, Flag.address: 10}
)
MAX_SCORE: Final = 100


@dataclass(frozen=True)
class RiskThresholds:
    """The configurable part (``RISK_*`` settings)."""

    risky_score: int = 40
    blacklist_refusals: int = 3
    blacklist_buyout: int = 50  # percent: blacklisted automatically when the buyout is below it
    recent_days: int = 90


@dataclass(frozen=True)
class RiskPolicies:
    """``RISK_POLICY_RISKY`` and ``RISK_POLICY_BLACKLISTED``."""

    risky: RiskPolicy = RiskPolicy.alert
    blacklisted: RiskPolicy = RiskPolicy.hold

    def for_level(self, level: RiskLevel) -> RiskPolicy | None:
        """What to do with a new order at ``level``; None for an ``ok`` customer."""
        if level is RiskLevel.blacklisted:
            return self.blacklisted
        if level is RiskLevel.risky:
            return self.risky
        return None


@dataclass(frozen=True)
class Refusal:
    """A parcel the customer did not pick up, and what they told us about it."""

    at: datetime
    reason: str | None = None  # a RefusalReason value
    comment: str | None = None


@dataclass(frozen=True)
class ManualDecision:
    """The last blacklist or unblock by a manager, and how many refusals there were then."""

    state: ManualState
    at: datetime
    by: str
    reason: str | None = None
    refusals_then: int = 0


@dataclass(frozen=True)
class CustomerRecord:
    """Everything the rating looks at, for one customer of this shop."""

    orders: int = 0
    received: int = 0
    refusals: tuple[Refusal, ...] = ()  # oldest first
    cancelled_after_confirmation: int = 0
    last_outcomes: tuple[bool, ...] = ()  # finished parcels, newest first: True = picked up
    flags: frozenset[Flag] = frozenset()
    notes: int = 0
    last_note: str | None = None
    manual: ManualDecision | None = None

    @property
    def refused(self) -> int:
        return len(self.refusals)

    @property
    def finished(self) -> int:
        return self.received + self.refused

    @property
    def buyout_percent(self) -> int | None:
        """Picked-up share of finished parcels, rounded down; None with nothing finished."""
        if not self.finished:
            return None
        return self.received * 100 // self.finished


class ReasonKind(StrEnum):
    no_history = "no_history"
    picked_up = "picked_up"
    refused = "refused"
    last_refusal = "last_refusal"
    refused_in_a_row = "refused_in_a_row"
    cancelled_after_confirmation = "cancelled_after_confirmation"
    flagged = "flagged"
    note = "note"
    blacklisted_by_manager = "blacklisted_by_manager"
    blacklisted_automatically = "blacklisted_automatically"
    unblocked = "unblocked"


@dataclass(frozen=True)
class Reason:
    """One line of the explanation; the texts module turns it into words in any language."""

    kind: ReasonKind
    count: int = 0
    total: int = 0
    days: int = 0
    text: str | None = None  # a refusal reason value, a comment, a note
    comment: str | None = None
    by: str | None = None
    at: datetime | None = None
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class Assessment:
    level: RiskLevel
    score: int
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def needs_attention(self) -> bool:
        return self.level is not RiskLevel.ok


def score(record: CustomerRecord, now: datetime, thresholds: RiskThresholds) -> int:
    points = sum(
        REFUSAL_POINTS if (now - refusal.at).days < thresholds.recent_days else OLD_REFUSAL_POINTS
        for refusal in record.refusals
    )
    points += CANCELLED_AFTER_CONFIRMATION_POINTS * record.cancelled_after_confirmation
    if _refused_in_a_row(record) >= STREAK_LENGTH:
        points += STREAK_POINTS
    points += sum(FLAG_POINTS[flag] for flag in record.flags)
    points -= RECEIVED_CREDIT * record.received
    return max(0, min(MAX_SCORE, points))


def auto_blacklisted(record: CustomerRecord, thresholds: RiskThresholds) -> bool:
    """The automatic rule alone, before any manager's decision."""
    buyout = record.buyout_percent
    return (
        record.refused >= thresholds.blacklist_refusals
        and buyout is not None
        and buyout < thresholds.blacklist_buyout
    )


def unblock_holds(record: CustomerRecord) -> bool:
    """A manager's unblock wins over the automatic rule until the customer refuses again."""
    manual = record.manual
    return (
        manual is not None
        and manual.state is ManualState.unblocked
        and record.refused <= manual.refusals_then
    )


def assess(record: CustomerRecord, now: datetime, thresholds: RiskThresholds) -> Assessment:
    points = score(record, now, thresholds)
    reasons = explain(record, now)
    manual = record.manual
    if manual is not None and manual.state is ManualState.blacklisted:
        level = RiskLevel.blacklisted
    elif auto_blacklisted(record, thresholds) and not unblock_holds(record):
        level = RiskLevel.blacklisted
        reasons = (
            Reason(
                ReasonKind.blacklisted_automatically,
                count=thresholds.blacklist_refusals,
                total=thresholds.blacklist_buyout,
            ),
            *reasons,
        )
    elif points >= thresholds.risky_score:
        level = RiskLevel.risky
    else:
        level = RiskLevel.ok
    return Assessment(level=level, score=points, reasons=reasons)


def explain(record: CustomerRecord, now: datetime) -> tuple[Reason, ...]:
    """The facts behind the score, most telling first."""
    reasons: list[Reason] = []
    manual = record.manual
    if manual is not None:
        kind = (
            ReasonKind.blacklisted_by_manager
            if manual.state is ManualState.blacklisted
            else ReasonKind.unblocked
        )
        reasons.append(Reason(kind, by=manual.by, at=manual.at, text=manual.reason))
    if record.refusals:
        reasons.append(Reason(ReasonKind.refused, count=record.refused, total=record.finished))
        last = record.refusals[-1]
        reasons.append(
            Reason(
                ReasonKind.last_refusal,
                days=max(0, (now - last.at).days),
                text=last.reason,
                comment=last.comment,
            )
        )
        in_a_row = _refused_in_a_row(record)
        if in_a_row >= STREAK_LENGTH:
            reasons.append(Reason(ReasonKind.refused_in_a_row, count=in_a_row))
    if record.cancelled_after_confirmation:
        reasons.append(
            Reason(
                ReasonKind.cancelled_after_confirmation, count=record.cancelled_after_confirmation
            )
        )
    if record.flags:
        reasons.append(Reason(ReasonKind.flagged, flags=_ordered(record.flags)))
    if record.last_note:
        reasons.append(Reason(ReasonKind.note, count=record.notes, text=record.last_note))
    if record.received:
        reasons.append(Reason(ReasonKind.picked_up, count=record.received, total=record.finished))
    if not record.finished and not reasons:
        reasons.append(Reason(ReasonKind.no_history, count=record.orders))
    return tuple(reasons)


def _refused_in_a_row(record: CustomerRecord) -> int:
    count = 0
    for picked_up in record.last_outcomes:
        if picked_up:
            break
        count += 1
    return count


def _ordered(flags: frozenset[Flag]) -> tuple[Flag, ...]:
    return tuple(flag for flag in Flag if flag in flags)


T = TypeVar("T")
LEVEL_RANK: Final[Mapping[RiskLevel, int]] = MappingProxyType(
    {RiskLevel.blacklisted: 0, RiskLevel.risky: 1, RiskLevel.ok: 2}
)


def riskiest_first(
    assessed: Sequence[tuple[T, Assessment]], limit: int
) -> list[tuple[T, Assessment]]:
    """Blacklisted before risky before ok, then the higher score first."""
    return sorted(assessed, key=lambda pair: (LEVEL_RANK[pair[1].level], -pair[1].score))[:limit]
