"""The Viber/SMS figures of /stats added up from the database's groups."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.outreach import SkipReason
from bot.domain.outreach_figures import Deliveries, SkipCount, StateCount, tally


def group(
    state: str,
    count: int,
    *,
    channel: str | None = None,
    reason: str | None = None,
    cost: str = "0",
) -> StateCount:
    return StateCount(state, channel, reason, count, Decimal(cost))


def test_every_state_is_counted_where_it_belongs():
    figures = tally(
        [
            group("delivered", 3, channel="viber", cost="2.10"),
            group("read", 1, channel="viber", cost="0.70"),
            group("delivered", 1, channel="sms", cost="1.60"),
            group("not_delivered", 1, channel="sms", cost="1.60"),
            group("sent", 2, cost="3.20"),  # hybrid: no report yet, the dearer price
            group("expired", 1, channel="viber", cost="0.70"),
            group("rejected", 1, cost="0"),
            group("failed", 1, cost="1.60"),  # never taken: not sent, not paid
            group("queued", 2, cost="3.20"),  # not with the provider yet
            group("skipped", 2, reason="daily_limit"),
            group("skipped", 3, reason="stopped"),
            group("skipped", 1, reason="budget"),
        ]
    )
    assert figures == Deliveries(
        sent=10,
        viber=5,
        sms=2,
        delivered=5,
        not_delivered=4,
        failed=1,
        queued=2,
        cost=Decimal("9.90"),
        skipped=(
            SkipCount(SkipReason.stopped, 3),
            SkipCount(SkipReason.daily_limit, 2),
            SkipCount(SkipReason.budget, 1),
        ),
        total=19,
    )
    assert figures.channel_unknown == 3  # the two "sent" and the rejected one
    assert figures.awaiting_report == 2  # sent − delivered − (not delivered − failed)
    assert figures.not_sent == 6


def test_ties_keep_the_reasons_order_and_unknown_values_are_not_lost():
    figures = tally(
        [
            group("skipped", 1, reason="no_link"),
            group("skipped", 1, reason="stopped"),
            group("skipped", 1, reason="legacy"),  # a reason this version does not know
            group("skipped", 1, reason=None),
            group("archived", 4),  # a state this version does not know
        ]
    )
    assert figures.skipped == (
        SkipCount(SkipReason.not_needed, 2),
        SkipCount(SkipReason.stopped, 1),
        SkipCount(SkipReason.no_link, 1),
    )
    assert figures.total == 8 and figures.sent == 0


def test_nothing_is_all_zeros():
    assert tally([]) == Deliveries()
    assert Deliveries().channel_unknown == Deliveries().awaiting_report == 0
