"""Read-only Viber/SMS figures for /stats, grouped in SQL: the period's messages by state, and what
the orders and customers asked to confirm by them did next.

A message belongs to the period in which it was due (``created_at``): a skipped one has no other
moment, and a sent one went seconds later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Exists, and_, case, exists, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.order_events import OrderEventKind
from bot.domain.orders import OrderStatus
from bot.domain.outreach import OutreachPurpose
from bot.domain.outreach_figures import SENT, StateCount
from storage.models import Order, OrderEvent, OutreachMessage
from storage.repositories.stats import STATUS_EVENT

CONFIRM = OutreachPurpose.confirm.value
SENT_STATES = tuple(sorted(state.value for state in SENT))
# The order went ahead: confirmed, or moved on past it (a shop may skip the step in its reports).
CONFIRMED_OR_LATER = tuple(
    status.value
    for status in (
        OrderStatus.confirmed,
        OrderStatus.shipped,
        OrderStatus.arrived,
        OrderStatus.received,
        OrderStatus.refused,
        OrderStatus.returning,
        OrderStatus.returned,
    )
)
CANCELLED = OrderStatus.cancelled.value
LINKED_EVENT = OrderEventKind.linked.value


@dataclass(frozen=True)
class ConfirmResults:
    """Orders sent a confirmation message in a period, and what came after the message."""

    orders: int = 0
    confirmed: int = 0  # confirmed (or moved on past it) after the message
    cancelled: int = 0  # cancelled after the message without being confirmed first
    customers: int = 0  # the customers of those orders
    linked: int = 0  # of them, opened the bot after their first such message


class OutreachStatsRepository:
    """Queries only: never adds, flushes or commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def groups(self, since: datetime, until: datetime) -> list[StateCount]:
        """Messages due in ``(since, until]`` by state, channel and skip reason, with their cost."""
        query = (
            select(
                OutreachMessage.state,
                OutreachMessage.channel,
                OutreachMessage.skip_reason,
                func.count(),
                func.coalesce(func.sum(OutreachMessage.cost), 0),
            )
            .where(OutreachMessage.created_at > since, OutreachMessage.created_at <= until)
            .group_by(OutreachMessage.state, OutreachMessage.channel, OutreachMessage.skip_reason)
        )
        return [
            StateCount(state, channel, reason, int(count), Decimal(cost))
            for state, channel, reason, count, cost in (await self._session.execute(query)).all()
        ]

    async def confirm_results(self, since: datetime, until: datetime) -> ConfirmResults:
        """What the orders sent a confirmation message in ``(since, until]`` did after it.

        The first answer counts: an order confirmed and cancelled later counts as confirmed.
        """
        asked = (
            select(
                OutreachMessage.order_id.label("order_id"),
                OutreachMessage.customer_id.label("customer_id"),
                func.min(OutreachMessage.created_at).label("at"),
            )
            .where(
                OutreachMessage.purpose == CONFIRM,
                OutreachMessage.state.in_(SENT_STATES),
                OutreachMessage.created_at > since,
                OutreachMessage.created_at <= until,
            )
            .group_by(OutreachMessage.order_id, OutreachMessage.customer_id)
            .subquery()
        )

        def moved_to(*statuses: str) -> Exists:
            return exists().where(
                OrderEvent.order_id == asked.c.order_id,
                OrderEvent.kind == STATUS_EVENT,
                OrderEvent.to_status.in_(statuses),
                OrderEvent.occurred_at >= asked.c.at,
            )

        confirmed = moved_to(*CONFIRMED_OR_LATER)
        cancelled = and_(moved_to(CANCELLED), not_(confirmed))
        orders = select(
            func.count(),
            func.coalesce(func.sum(case((confirmed, 1), else_=0)), 0),
            func.coalesce(func.sum(case((cancelled, 1), else_=0)), 0),
        ).select_from(asked)
        count, confirmed_count, cancelled_count = (await self._session.execute(orders)).one()

        first = (
            select(asked.c.customer_id, func.min(asked.c.at).label("at"))
            .group_by(asked.c.customer_id)
            .subquery()
        )
        linked = (
            select(OrderEvent.id)
            .join(Order, OrderEvent.order_id == Order.id)
            .where(
                Order.customer_id == first.c.customer_id,
                OrderEvent.kind == LINKED_EVENT,
                OrderEvent.occurred_at >= first.c.at,
                OrderEvent.occurred_at <= until,
            )
            .exists()
        )
        customers = select(
            func.count(), func.coalesce(func.sum(case((linked, 1), else_=0)), 0)
        ).select_from(first)
        customer_count, linked_count = (await self._session.execute(customers)).one()
        return ConfirmResults(
            orders=int(count),
            confirmed=int(confirmed_count),
            cancelled=int(cancelled_count),
            customers=int(customer_count),
            linked=int(linked_count),
        )

    async def latest_currency(self) -> str | None:
        """The currency of the newest order: the shop's, in which its prices are set."""
        return await self._session.scalar(select(Order.currency).order_by(Order.id.desc()).limit(1))
