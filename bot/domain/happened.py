"""When something that happened elsewhere happened, as far as the bot may believe the teller.

A carrier, a shop or a poller catching up after downtime tells the bot about things late: the
order's history must carry the moment they happened, not the moment the bot heard of them.
What they report is bounded: nothing happened after the bot heard of it (a clock running
ahead), and nothing about an order happened before the order existed (a garbled date).
"""

from __future__ import annotations

from datetime import datetime


def order_began(created_at: datetime, shop_created_at: datetime | None) -> datetime:
    """The order existed from the shop's creation moment when the shop gave one (a shop may send
    its orders to the bot late), else from when the bot received it."""
    if shop_created_at is None:
        return created_at
    return min(created_at, shop_created_at)


def happened_at(
    reported: datetime | None, *, learnt_at: datetime, not_before: datetime
) -> datetime:
    """``reported`` within ``[not_before, learnt_at]``; ``learnt_at`` when nobody said."""
    if reported is None:
        return learnt_at
    return min(max(reported, not_before), learnt_at)
