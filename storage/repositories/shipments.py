from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.shipments import FINAL, ShipmentStatus
from storage.models import Customer, Feedback, Order, Shipment, ShipmentEvent

# A parcel is tracked until it is final. Its status is a ShipmentStatus value, or None until the
# carrier first answers, so "not final" is a short list the status index serves: the query reads
# the parcels on their way, not every parcel the shop ever sent.
NOT_FINAL = tuple(status.value for status in ShipmentStatus if status not in FINAL)


class ShipmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, shipment: Shipment) -> None:
        self._session.add(shipment)

    async def by_tracking_number(self, number: str, *, for_update: bool = False) -> Shipment | None:
        query = select(Shipment).where(Shipment.tracking_number == number)
        if for_update:
            query = query.with_for_update(of=Shipment)
        return await self._session.scalar(query)

    async def of_order(self, order_id: int) -> Shipment | None:
        return await self._session.scalar(select(Shipment).where(Shipment.order_id == order_id))

    async def of_orders(self, order_ids: Sequence[int]) -> dict[int, Shipment]:
        """The parcels of these orders, by order id (an order without one is left out)."""
        if not order_ids:
            return {}
        query = select(Shipment).where(Shipment.order_id.in_(order_ids))
        return {shipment.order_id: shipment for shipment in await self._session.scalars(query)}

    async def get(self, shipment_id: int) -> Shipment | None:
        return await self._session.get(Shipment, shipment_id)

    async def has_event(self, shipment_id: int, status: str) -> bool:
        query = select(ShipmentEvent.id).where(
            ShipmentEvent.shipment_id == shipment_id, ShipmentEvent.status == status
        )
        return await self._session.scalar(query) is not None

    def add_event(self, event: ShipmentEvent) -> None:
        self._session.add(event)

    async def events_of(self, shipment_id: int) -> Sequence[ShipmentEvent]:
        query = (
            select(ShipmentEvent)
            .where(ShipmentEvent.shipment_id == shipment_id)
            .order_by(ShipmentEvent.id)
        )
        return (await self._session.scalars(query)).all()

    async def trackable(self, carrier: str, limit: int) -> Sequence[tuple[str, str]]:
        """(tracking number, customer phone) of the carrier's parcels that are not final yet."""
        query = (
            select(Shipment.tracking_number, Customer.phone)
            .join(Order, Shipment.order_id == Order.id)
            .join(Customer, Order.customer_id == Customer.id)
            .where(Shipment.carrier == carrier)
            .where(Shipment.status.is_(None) | Shipment.status.in_(NOT_FINAL))
            .order_by(Shipment.id)
            .limit(limit)
        )
        return [(number, phone) for number, phone in (await self._session.execute(query)).all()]

    async def waiting_at_branch(self) -> Sequence[Shipment]:
        query = (
            select(Shipment)
            .where(Shipment.status == "arrived")
            .order_by(Shipment.paid_storage_from.is_(None), Shipment.paid_storage_from, Shipment.id)
        )
        return (await self._session.scalars(query)).all()


class FeedbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, order_id: int, kind: str) -> Feedback | None:
        query = select(Feedback).where(Feedback.order_id == order_id, Feedback.kind == kind)
        return await self._session.scalar(query)

    def add(self, feedback: Feedback) -> None:
        self._session.add(feedback)
