"""The facts a customer's rating is computed from, read in three queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.feedback import FeedbackKind
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import OrderStatus
from bot.domain.risk import ManualState
from storage.models import Customer, CustomerFlag, CustomerNote, Feedback, Order, OrderEvent

CHUNK = 500  # customers per query: well within every engine's limit on bound parameters
RECEIVED = OrderStatus.received.value
FAILED = (  # parcels the customer did not pick up
    OrderStatus.refused.value,
    OrderStatus.returning.value,
    OrderStatus.returned.value,
)
FINISHED = (RECEIVED, *FAILED)
CANCELLED = OrderStatus.cancelled.value
CONFIRMED = OrderStatus.confirmed.value
REFUSAL_FEEDBACK = FeedbackKind.refusal.value
STATUS_EVENT = OrderEventKind.status.value
BLACKLISTED = ManualState.blacklisted.value


@dataclass(frozen=True)
class FinishedParcel:
    order_id: int
    received: bool
    at: datetime
    reason: str | None
    comment: str | None


@dataclass(frozen=True)
class RiskFacts:
    """The raw material of a ``CustomerRecord``."""

    orders: int
    finished: tuple[FinishedParcel, ...]  # oldest first
    cancelled_after_confirmation: int
    flags: tuple[str, ...]
    notes: int
    last_note: str | None

    @classmethod
    def of_first_order(cls) -> RiskFacts:
        """A customer stored together with their first order, in this very transaction: nothing
        else can refer to them yet, so this is what ``facts`` would read."""
        return cls(
            orders=1,
            finished=(),
            cancelled_after_confirmation=0,
            flags=(),
            notes=0,
            last_note=None,
        )


class RiskRepository:
    """Queries only: never adds, flushes or commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def facts(self, customer_id: int) -> RiskFacts:
        """Three queries: the counts and the last note together, the finished parcels, the flags
        (the intake's path: one customer; ``facts_many`` reads many customers together)."""
        orders, cancelled, notes, last_note = (
            await self._session.execute(self._counts(customer_id))
        ).one()
        return RiskFacts(
            orders=int(orders or 0),
            finished=(await self._finished([customer_id])).get(customer_id, ()),
            cancelled_after_confirmation=int(cancelled or 0),
            flags=tuple(
                (
                    await self._session.scalars(
                        select(CustomerFlag.flag).where(CustomerFlag.customer_id == customer_id)
                    )
                ).all()
            ),
            notes=int(notes or 0),
            last_note=last_note,
        )

    @staticmethod
    def _counts(customer_id: int) -> Select[Any]:
        """Orders, orders cancelled after the customer confirmed them, notes, the last note."""
        orders = select(func.count(Order.id)).where(Order.customer_id == customer_id)
        confirmed = exists().where(
            OrderEvent.order_id == Order.id,
            OrderEvent.kind == STATUS_EVENT,
            OrderEvent.to_status == CONFIRMED,
        )
        cancelled = select(func.count(Order.id)).where(
            Order.customer_id == customer_id, Order.status == CANCELLED, confirmed
        )
        notes = select(func.count(CustomerNote.id)).where(CustomerNote.customer_id == customer_id)
        last_note = (
            select(CustomerNote.text)
            .where(CustomerNote.customer_id == customer_id)
            .order_by(CustomerNote.id.desc())
            .limit(1)
        )
        return select(
            orders.scalar_subquery(),
            cancelled.scalar_subquery(),
            notes.scalar_subquery(),
            last_note.scalar_subquery(),
        )

    async def facts_many(self, customer_ids: Collection[int]) -> dict[int, RiskFacts]:
        """The facts of each customer (none stored: all zero), five queries per ``CHUNK``."""
        ids = list(dict.fromkeys(customer_ids))
        facts: dict[int, RiskFacts] = {}
        for start in range(0, len(ids), CHUNK):
            facts.update(await self._facts(ids[start : start + CHUNK]))
        return facts

    async def _facts(self, ids: Sequence[int]) -> dict[int, RiskFacts]:
        session = self._session
        orders = await session.execute(
            select(Order.customer_id, func.count(Order.id))
            .where(Order.customer_id.in_(ids))
            .group_by(Order.customer_id)
        )
        counts = {customer_id: int(count) for customer_id, count in orders.all()}
        finished = await self._finished(ids)
        cancelled = await self._cancelled_after_confirmation(ids)
        flags: dict[int, list[str]] = defaultdict(list)
        rows = await session.execute(
            select(CustomerFlag.customer_id, CustomerFlag.flag).where(
                CustomerFlag.customer_id.in_(ids)
            )
        )
        for customer_id, flag in rows.all():
            flags[customer_id].append(flag)
        notes, last_notes = await self._notes(ids)
        return {
            customer_id: RiskFacts(
                orders=counts.get(customer_id, 0),
                finished=finished.get(customer_id, ()),
                cancelled_after_confirmation=cancelled.get(customer_id, 0),
                flags=tuple(flags.get(customer_id, ())),
                notes=notes.get(customer_id, 0),
                last_note=last_notes.get(customer_id),
            )
            for customer_id in ids
        }

    async def _finished(self, ids: Sequence[int]) -> dict[int, tuple[FinishedParcel, ...]]:
        # When the parcel's fate became known: its first event into a finished status (a refused
        # parcel that later came back counts from the refusal), else the order's last change.
        outcome_at = (
            select(func.min(OrderEvent.occurred_at))
            .where(
                OrderEvent.order_id == Order.id,
                OrderEvent.kind == STATUS_EVENT,
                OrderEvent.to_status.in_(FINISHED),
            )
            .scalar_subquery()
        )
        query = (
            select(
                Order.customer_id,
                Order.id,
                Order.status,
                func.coalesce(outcome_at, Order.updated_at),
                Feedback.value,
                Feedback.comment,
            )
            .outerjoin(
                Feedback,
                and_(Feedback.order_id == Order.id, Feedback.kind == REFUSAL_FEEDBACK),
            )
            .where(Order.customer_id.in_(ids), Order.status.in_(FINISHED))
        )
        parcels: dict[int, list[FinishedParcel]] = defaultdict(list)
        for customer_id, order_id, status, at, reason, comment in (
            await self._session.execute(query)
        ).all():
            parcels[customer_id].append(
                FinishedParcel(
                    order_id=order_id,
                    received=status == RECEIVED,
                    at=at,
                    reason=reason if status != RECEIVED else None,
                    comment=comment if status != RECEIVED else None,
                )
            )
        return {
            customer_id: tuple(sorted(rows, key=lambda parcel: (parcel.at, parcel.order_id)))
            for customer_id, rows in parcels.items()
        }

    async def _cancelled_after_confirmation(self, ids: Sequence[int]) -> dict[int, int]:
        confirmed = exists().where(
            OrderEvent.order_id == Order.id,
            OrderEvent.kind == STATUS_EVENT,
            OrderEvent.to_status == CONFIRMED,
        )
        query = (
            select(Order.customer_id, func.count(Order.id))
            .where(Order.customer_id.in_(ids), Order.status == CANCELLED, confirmed)
            .group_by(Order.customer_id)
        )
        return {
            customer_id: int(count) for customer_id, count in await self._session.execute(query)
        }

    async def _notes(self, ids: Sequence[int]) -> tuple[dict[int, int], dict[int, str]]:
        """How many notes each customer has, and the text of their latest one."""
        query = (
            select(CustomerNote.customer_id, func.count(CustomerNote.id), func.max(CustomerNote.id))
            .where(CustomerNote.customer_id.in_(ids))
            .group_by(CustomerNote.customer_id)
        )
        counts: dict[int, int] = {}
        latest: list[int] = []
        for customer_id, count, last_id in await self._session.execute(query):
            counts[customer_id] = int(count)
            latest.append(last_id)
        texts: dict[int, str] = {}
        if latest:
            rows = await self._session.execute(
                select(CustomerNote.customer_id, CustomerNote.text).where(
                    CustomerNote.id.in_(latest)
                )
            )
            texts = {customer_id: note for customer_id, note in rows.all()}
        return counts, texts

    async def blacklist_candidates(
        self, min_refusals: int, max_buyout_percent: int
    ) -> Sequence[int]:
        """Customers blacklisted by hand or by the automatic rule (before unblocks), by id.

        The rule is exact here (refusals and buyout in SQL); whether a manager's unblock still
        holds is checked by the domain on each candidate.
        """
        failed = func.sum(case((Order.status.in_(FAILED), 1), else_=0))
        received = func.sum(case((Order.status == RECEIVED, 1), else_=0))
        automatic = (
            select(Order.customer_id)
            .where(Order.status.in_(FINISHED))
            .group_by(Order.customer_id)
            .having(
                failed >= min_refusals,
                received * 100 < literal(max_buyout_percent) * (received + failed),
            )
        )
        query = (
            select(Customer.id)
            .where(or_(Customer.blacklist_state == BLACKLISTED, Customer.id.in_(automatic)))
            .order_by(Customer.id)
        )
        return (await self._session.scalars(query)).all()

    async def risk_candidates(self, limit: int) -> Sequence[int]:
        """Customers who could be risky at all — refusals, flags or a blacklist — worst first."""
        failed = func.sum(case((Order.status.in_(FAILED), 1), else_=0))
        received = func.sum(case((Order.status == RECEIVED, 1), else_=0))
        with_refusals = (
            select(Order.customer_id.label("customer_id"), (failed * 2 - received).label("weight"))
            .where(Order.status.in_(FINISHED))
            .group_by(Order.customer_id)
            .having(failed > 0)
            .subquery()
        )
        flagged = select(CustomerFlag.customer_id)
        query = (
            select(Customer.id)
            .outerjoin(with_refusals, with_refusals.c.customer_id == Customer.id)
            .where(
                or_(
                    with_refusals.c.customer_id.is_not(None),
                    Customer.id.in_(flagged),
                    Customer.blacklist_state == BLACKLISTED,
                )
            )
            .order_by(func.coalesce(with_refusals.c.weight, 0).desc(), Customer.id)
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()
