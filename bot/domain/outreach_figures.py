"""The Viber/SMS figures of /stats: the period's messages, counted by what became of them.

Pure: the database groups the messages by state, channel and skip reason
(``storage.repositories.outreach_stats``); :func:`tally` turns those groups into the figures the
report shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from bot.domain.outreach import Channel, OutreachState, SkipReason

S = OutreachState
# Went to the provider: it took them (a rejected one was refused by the network or the stop list).
SENT: Final = frozenset({S.sent, S.delivered, S.read, S.not_delivered, S.expired, S.rejected})
DELIVERED: Final = frozenset({S.delivered, S.read})
# Did not reach the phone, and will not: by the provider's report or its refusal.
NOT_DELIVERED: Final = frozenset({S.not_delivered, S.expired, S.rejected, S.failed})


@dataclass(frozen=True)
class StateCount:
    """One group of the period's messages as the database counts them."""

    state: str
    channel: str | None
    skip_reason: str | None
    count: int
    cost: Decimal  # the sum of the group's ``cost``


@dataclass(frozen=True)
class SkipCount:
    reason: SkipReason
    count: int


@dataclass(frozen=True)
class Deliveries:
    """What became of the messages due in a period."""

    sent: int = 0  # taken by the provider (SENT)
    viber: int = 0  # of the sent, carried by Viber
    sms: int = 0  # of the sent, carried by SMS
    delivered: int = 0  # delivered or read
    not_delivered: int = 0  # not delivered, expired, rejected or failed
    failed: int = 0  # never taken by the provider (counted in ``not_delivered`` too)
    queued: int = 0  # still waiting in the outbox
    cost: Decimal = Decimal(0)  # what the sent ones cost (the most each may, until reported)
    skipped: tuple[SkipCount, ...] = ()  # not sent, most frequent reason first
    total: int = 0  # every message of the period, whatever became of it

    @property
    def channel_unknown(self) -> int:
        """Sent, but the provider has not said yet which channel carried it."""
        return self.sent - self.viber - self.sms

    @property
    def awaiting_report(self) -> int:
        """Sent, and neither delivered nor missed yet."""
        return self.sent - self.delivered - (self.not_delivered - self.failed)

    @property
    def not_sent(self) -> int:
        return sum(line.count for line in self.skipped)


def _state(value: str) -> OutreachState | None:
    try:
        return OutreachState(value)
    except ValueError:  # a state this version does not know: counted in ``total`` only
        return None


def _skip_reason(value: str | None) -> SkipReason:
    """A reason this version does not know reads as "no longer needed", as the alerts do."""
    try:
        return SkipReason(value or SkipReason.not_needed)
    except ValueError:
        return SkipReason.not_needed


def tally(groups: Iterable[StateCount]) -> Deliveries:
    """The groups of one period added up; skip reasons by frequency, ties in their own order."""
    states: Counter[OutreachState] = Counter()
    channels: Counter[str] = Counter()
    skipped: Counter[SkipReason] = Counter()
    cost = Decimal(0)
    total = 0
    for group in groups:
        total += group.count
        state = _state(group.state)
        if state is None:
            continue
        states[state] += group.count
        if state is S.skipped:
            skipped[_skip_reason(group.skip_reason)] += group.count
        elif state in SENT:
            cost += group.cost
            if group.channel in (Channel.viber, Channel.sms):
                channels[group.channel] += group.count
    order = list(SkipReason)
    ranked = sorted(skipped.items(), key=lambda kv: (-kv[1], order.index(kv[0])))
    return Deliveries(
        sent=sum(states[state] for state in SENT),
        viber=channels[Channel.viber],
        sms=channels[Channel.sms],
        delivered=sum(states[state] for state in DELIVERED),
        not_delivered=sum(states[state] for state in NOT_DELIVERED),
        failed=states[S.failed],
        queued=states[S.queued],
        cost=cost,
        skipped=tuple(SkipCount(reason, count) for reason, count in ranked),
        total=total,
    )
