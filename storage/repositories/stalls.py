"""Stalled parcels: the candidates of each rule (indexed queries), and the open stalls.

Each candidate query reads only rows the rule can concern, through an index: orders by status
(``ix_orders_status_customer_id``), shipments by status (``ix_shipments_status``), their events by
(shipment, status); the open stalls through a partial index. The rules themselves are decided in
``bot.domain.stalls``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.feedback import FeedbackKind
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import OrderStatus
from bot.domain.shipments import ShipmentStatus
from storage.models import Customer, Feedback, Order, OrderEvent, Shipment, ShipmentEvent, Stall

# What a customer says about a waiting parcel: they are answering, whatever the chat does.
ANSWERS = (
    FeedbackKind.cannot_pick_up.value,
    FeedbackKind.pickup_promise.value,
    FeedbackKind.storage_extension.value,
)


@dataclass(frozen=True)
class StallLine:
    """An open stall as the managers read it (/stalled, the digest, the announcement)."""

    stall_id: int
    rule: str
    since: datetime
    order_number: str
    customer_name: str
    customer_phone: str
    waybill: str | None
    paid_storage_from: date | None
    taken_by_name: str | None


class StallRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # -- the candidates of each rule ---------------------------------------------------------------
    async def confirmed_unshipped(self, before: datetime) -> Sequence[tuple[Order, datetime]]:
        """Confirmed orders without a waybill, confirmed at or before ``before``, with that moment
        (each order's latest move to confirmed, by ``ix_order_events_order_id_kind``)."""
        confirmed = OrderStatus.confirmed.value
        confirmed_at = (
            select(func.max(OrderEvent.occurred_at))
            .where(
                OrderEvent.order_id == Order.id,
                OrderEvent.kind.in_([OrderEventKind.status.value, OrderEventKind.created.value]),
                OrderEvent.to_status == confirmed,
            )
            .scalar_subquery()
        )
        query = (
            select(Order, confirmed_at)
            .outerjoin(Shipment, Shipment.order_id == Order.id)
            .where(Order.status == confirmed, Shipment.id.is_(None), confirmed_at <= before)
            .order_by(Order.id)
        )
        return [(order, at) for order, at in (await self._session.execute(query)).all()]

    async def unscanned(self, before: datetime) -> Sequence[Shipment]:
        """Waybills the carrier has not scanned, attached at or before ``before``."""
        query = (
            select(Shipment)
            .where(
                or_(Shipment.status.is_(None), Shipment.status == ShipmentStatus.created.value),
                Shipment.created_at <= before,
            )
            .order_by(Shipment.id)
        )
        return list((await self._session.scalars(query)).all())

    async def in_transit(self, before: datetime) -> Sequence[tuple[Shipment, datetime]]:
        """Parcels in transit since at or before ``before`` (the carrier's moment), with it.

        The parcels in transit now come first (a few, by ``ix_shipments_status``); each one's
        event is then looked up by (shipment, status): joined the other way round, a planner
        without statistics reads every in-transit event ever recorded."""
        status = ShipmentStatus.in_transit.value
        since = (
            select(ShipmentEvent.occurred_at)
            .where(ShipmentEvent.shipment_id == Shipment.id, ShipmentEvent.status == status)
            .scalar_subquery()
        )
        query = (
            select(Shipment, since)
            .where(Shipment.status == status, since <= before)
            .order_by(Shipment.id)
        )
        return [(shipment, at) for shipment, at in (await self._session.execute(query)).all()]

    async def waiting_until(self, paid_before: date) -> Sequence[tuple[Shipment, bool]]:
        """Parcels at a branch whose paid storage starts before ``paid_before``, each with
        whether its customer said something about it."""
        answered = (
            select(Feedback.id)
            .where(Feedback.order_id == Shipment.order_id, Feedback.kind.in_(ANSWERS))
            .exists()
        )
        query = (
            select(Shipment, answered)
            .where(
                Shipment.status == ShipmentStatus.arrived.value,
                Shipment.paid_storage_from < paid_before,
            )
            .order_by(Shipment.id)
        )
        return [(shipment, bool(said)) for shipment, said in (await self._session.execute(query))]

    # -- the stalls ------------------------------------------------------------------------------
    async def open(self) -> Sequence[Stall]:
        query = select(Stall).where(Stall.cleared_at.is_(None)).order_by(Stall.since, Stall.id)
        return list((await self._session.scalars(query)).all())

    async def of_order(self, order_id: int, rule: str) -> Stall | None:
        return await self._session.scalar(
            select(Stall).where(Stall.order_id == order_id, Stall.rule == rule)
        )

    async def get(self, stall_id: int, *, for_update: bool = False) -> Stall | None:
        query = select(Stall).where(Stall.id == stall_id)
        if for_update:
            query = query.with_for_update()
        return await self._session.scalar(query)

    def add(self, stall: Stall) -> None:
        self._session.add(stall)

    async def count_open(self) -> int:
        query = select(func.count(Stall.id)).where(Stall.cleared_at.is_(None))
        return int(await self._session.scalar(query) or 0)

    async def open_lines(self, offset: int, limit: int) -> Sequence[StallLine]:
        """The open stalls, the oldest first, as the managers read them."""
        query = (
            select(Stall, Order, Customer, Shipment)
            .join(Order, Stall.order_id == Order.id)
            .join(Customer, Order.customer_id == Customer.id)
            .outerjoin(Shipment, Shipment.order_id == Order.id)
            .where(Stall.cleared_at.is_(None))
            .order_by(Stall.since, Stall.id)
            .offset(offset)
            .limit(limit)
        )
        return [
            line(stall, order, customer, shipment)
            for stall, order, customer, shipment in (await self._session.execute(query)).all()
        ]


def line(stall: Stall, order: Order, customer: Customer, shipment: Shipment | None) -> StallLine:
    return StallLine(
        stall_id=stall.id,
        rule=stall.rule,
        since=stall.since,
        order_number=order.external_id,
        customer_name=order.recipient_name,
        customer_phone=customer.phone,
        waybill=shipment.tracking_number if shipment is not None else None,
        paid_storage_from=shipment.paid_storage_from if shipment is not None else None,
        taken_by_name=stall.taken_by_name,
    )
