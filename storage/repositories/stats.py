"""Read-only figures for the managers: parcels waiting at branches, refusals, the buyout rate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Subquery, and_, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.feedback import FeedbackKind
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import OrderStatus
from bot.domain.shipments import ShipmentStatus
from storage.models import Customer, Feedback, Order, OrderEvent, Shipment, ShipmentEvent

ARRIVED = ShipmentStatus.arrived.value
REFUSED = OrderStatus.refused.value
RECEIVED = OrderStatus.received.value
RETURNED = OrderStatus.returned.value
OUTCOMES = (RECEIVED, REFUSED, RETURNED)
REFUSAL_FEEDBACK = FeedbackKind.refusal.value
STATUS_EVENT = OrderEventKind.status.value


@dataclass(frozen=True)
class WaitingParcel:
    order_number: str
    customer_name: str
    customer_phone: str
    paid_storage_from: date | None
    reachable: bool


@dataclass(frozen=True)
class RefusedOrder:
    order_number: str
    customer_name: str
    customer_phone: str
    refused_at: datetime
    reason: str | None  # a RefusalReason value, when the customer told us
    comment: str | None


@dataclass(frozen=True)
class Outcomes:
    """How the parcels that finished in a period ended, each order counted once."""

    received: int = 0
    refused: int = 0
    returned: int = 0

    @property
    def finished(self) -> int:
        return self.received + self.refused + self.returned


class StatsRepository:
    """Queries only: never adds, flushes or commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def waiting_parcels(self, limit: int) -> Sequence[WaitingParcel]:
        """Parcels at a branch, the soonest paid storage first, unknown dates last."""
        query = (
            select(Order.external_id, Order.recipient_name, Shipment.paid_storage_from, Customer)
            .join(Order, Shipment.order_id == Order.id)
            .join(Customer, Order.customer_id == Customer.id)
            .where(Shipment.status == ARRIVED)
            .order_by(Shipment.paid_storage_from.is_(None), Shipment.paid_storage_from, Shipment.id)
            .limit(limit)
        )
        return [
            WaitingParcel(
                order_number=number,
                customer_name=name,
                customer_phone=customer.phone,
                paid_storage_from=paid_from,
                reachable=customer.reachable,
            )
            for number, name, paid_from, customer in (await self._session.execute(query)).all()
        ]

    async def count_waiting(self) -> int:
        query = select(func.count(Shipment.id)).where(Shipment.status == ARRIVED)
        return int(await self._session.scalar(query) or 0)

    def _refusals(self, since: datetime, until: datetime) -> Subquery:
        """Orders refused in ``(since, until]``: by the parcel's status or by the order's."""
        by_parcel = (
            select(Shipment.order_id.label("order_id"), ShipmentEvent.recorded_at.label("at"))
            .join(Shipment, ShipmentEvent.shipment_id == Shipment.id)
            .where(
                ShipmentEvent.status == ShipmentStatus.refused.value,
                ShipmentEvent.recorded_at > since,
                ShipmentEvent.recorded_at <= until,
            )
        )
        by_order = select(
            OrderEvent.order_id.label("order_id"), OrderEvent.occurred_at.label("at")
        ).where(
            OrderEvent.kind == STATUS_EVENT,
            OrderEvent.to_status == REFUSED,
            OrderEvent.occurred_at > since,
            OrderEvent.occurred_at <= until,
        )
        events = union_all(by_parcel, by_order).subquery()
        return (
            select(events.c.order_id, func.min(events.c.at).label("at"))
            .group_by(events.c.order_id)
            .subquery()
        )

    async def refusals(
        self, since: datetime, until: datetime, limit: int
    ) -> Sequence[RefusedOrder]:
        """Orders refused in ``(since, until]``, oldest first, with the reason the customer gave."""
        refused = self._refusals(since, until)
        query = (
            select(
                Order.external_id,
                Order.recipient_name,
                Customer,
                refused.c.at,
                Feedback.value,
                Feedback.comment,
            )
            .join(refused, Order.id == refused.c.order_id)
            .join(Customer, Order.customer_id == Customer.id)
            .outerjoin(
                Feedback, and_(Feedback.order_id == Order.id, Feedback.kind == REFUSAL_FEEDBACK)
            )
            .order_by(refused.c.at, Order.id)
            .limit(limit)
        )
        return [
            RefusedOrder(
                order_number=number,
                customer_name=name,
                customer_phone=customer.phone,
                refused_at=at,
                reason=reason,
                comment=comment,
            )
            for number, name, customer, at, reason, comment in (
                await self._session.execute(query)
            ).all()
        ]

    async def count_refusals(self, since: datetime, until: datetime) -> int:
        refused = self._refusals(since, until)
        return int(await self._session.scalar(select(func.count()).select_from(refused)) or 0)
