"""Read-only figures for /stats, aggregated in SQL: buyout rate, confirmations, refusal reasons.

Everything is counted from the orders' status history (``order_events``), not from parcels: orders
imported from the shop's past have a history but no shipments. Every query groups in the database
and returns a handful of rows, however many orders there are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.orders import OrderStatus
from bot.domain.returns import ReturnStatus
from storage.models import Feedback, Order, OrderEvent, OrderItem, Return, ReturnItem
from storage.repositories.stats import (
    OUTCOMES,
    RECEIVED,
    REFUSAL_FEEDBACK,
    REFUSED,
    RETURNED,
    STATUS_EVENT,
    Outcomes,
)

# Withdrawn by the customer: not a verdict on the product.
CANCELLED_RETURN = ReturnStatus.cancelled.value
CONFIRMED = OrderStatus.confirmed.value
WAITING = (OrderStatus.new.value, OrderStatus.on_hold.value)  # not answered yet


@dataclass(frozen=True)
class Confirmations:
    """Orders created in a period: how many were answered, and how many of those confirmed."""

    created: int = 0
    answered: int = 0  # no longer new or on hold
    confirmed: int = 0  # answered orders that were confirmed at some point

    @property
    def waiting(self) -> int:
        return self.created - self.answered


class ReportsRepository:
    """Queries only: never adds, flushes or commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @staticmethod
    def _in_period(since: datetime, until: datetime) -> ColumnElement[bool]:
        return and_(OrderEvent.occurred_at > since, OrderEvent.occurred_at <= until)

    async def outcomes_split(
        self, since: datetime, until: datetime, splits: Sequence[datetime]
    ) -> list[Outcomes]:
        """How orders finished in ``(since, until]``, in ``len(splits) + 1`` consecutive parts.

        An order counts once, by its last outcome (received, refused, returned) in the period,
        in the part where that outcome happened: the part ``i`` ends just before ``splits[i]``.
        """
        ranked = (
            select(
                OrderEvent.to_status.label("status"),
                OrderEvent.occurred_at.label("at"),
                func.row_number()
                .over(
                    partition_by=OrderEvent.order_id,
                    order_by=(OrderEvent.occurred_at.desc(), OrderEvent.id.desc()),
                )
                .label("rank"),
            )
            .where(
                OrderEvent.kind == STATUS_EVENT,
                OrderEvent.to_status.in_(OUTCOMES),
                self._in_period(since, until),
            )
            .subquery()
        )
        part: ColumnElement[int] = (
            case(
                *[(ranked.c.at < split, index) for index, split in enumerate(splits)],
                else_=len(splits),
            )
            if splits
            else literal(0)
        )
        last = select(part.label("part"), ranked.c.status).where(ranked.c.rank == 1).subquery()
        query = select(last.c.part, last.c.status, func.count()).group_by(
            last.c.part, last.c.status
        )
        counts: dict[tuple[int, str], int] = {
            (int(index), status): int(count)
            for index, status, count in (await self._session.execute(query)).all()
        }
        return [
            Outcomes(
                received=counts.get((index, RECEIVED), 0),
                refused=counts.get((index, REFUSED), 0),
                returned=counts.get((index, RETURNED), 0),
            )
            for index in range(len(splits) + 1)
        ]

    async def refusal_reasons(self, since: datetime, until: datetime) -> Mapping[str | None, int]:
        """Orders refused in ``(since, until]`` by the reason the customer gave (None: no reason)."""
        refused = (
            select(OrderEvent.order_id)
            .where(
                OrderEvent.kind == STATUS_EVENT,
                OrderEvent.to_status == REFUSED,
                self._in_period(since, until),
            )
            .distinct()
            .subquery()
        )
        query = (
            select(Feedback.value, func.count())
            .select_from(refused)
            .outerjoin(
                Feedback,
                and_(Feedback.order_id == refused.c.order_id, Feedback.kind == REFUSAL_FEEDBACK),
            )
            .group_by(Feedback.value)
        )
        return {reason: int(count) for reason, count in (await self._session.execute(query)).all()}

    async def confirmations(self, since: datetime, until: datetime) -> Confirmations:
        """Orders created in ``(since, until]``, the answered ones, and the confirmed ones."""
        answered = Order.status.not_in(WAITING)
        was_confirmed = exists().where(
            OrderEvent.order_id == Order.id,
            OrderEvent.kind == STATUS_EVENT,
            OrderEvent.to_status == CONFIRMED,
        )
        query = select(
            func.count(Order.id),
            func.coalesce(func.sum(case((answered, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(answered, was_confirmed), 1), else_=0)), 0),
        ).where(Order.created_at > since, Order.created_at <= until)
        created, answered_count, confirmed = (await self._session.execute(query)).one()
        return Confirmations(
            created=int(created), answered=int(answered_count), confirmed=int(confirmed)
        )

    async def return_reasons(self, since: datetime, until: datetime) -> Mapping[str, int]:
        """Return requests made in ``(since, until]`` by reason (withdrawn ones left out)."""
        query = (
            select(Return.reason, func.count())
            .where(
                Return.created_at > since,
                Return.created_at <= until,
                Return.status != CANCELLED_RETURN,
            )
            .group_by(Return.reason)
        )
        return {reason: int(count) for reason, count in (await self._session.execute(query)).all()}

    async def returned_items(
        self, since: datetime, until: datetime
    ) -> Sequence[tuple[str, str, int]]:
        """(product name, reason, pieces) asked back in ``(since, until]``, withdrawn ones left out."""
        query = (
            select(OrderItem.name, Return.reason, func.sum(ReturnItem.quantity))
            .select_from(ReturnItem)
            .join(Return, ReturnItem.return_id == Return.id)
            .join(OrderItem, ReturnItem.order_item_id == OrderItem.id)
            .where(
                Return.created_at > since,
                Return.created_at <= until,
                Return.status != CANCELLED_RETURN,
            )
            .group_by(OrderItem.name, Return.reason)
        )
        return [
            (name, reason, int(pieces))
            for name, reason, pieces in (await self._session.execute(query)).all()
        ]
