from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.models import Customer, Order, OrderEvent


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, order: Order) -> None:
        self._session.add(order)

    async def flush(self) -> None:
        await self._session.flush()

    async def get(self, order_id: int, *, for_update: bool = False) -> Order | None:
        """The order with its customer and items, in one query (a button press reads it)."""
        query = select(Order).options(joinedload(Order.items)).where(Order.id == order_id)
        if for_update:
            query = query.with_for_update(of=Order)
        return (await self._session.execute(query)).unique().scalar_one_or_none()

    async def get_locked_fresh(self, order_id: int) -> Order | None:
        """The order locked, then read with its customer as last committed.

        On PostgreSQL a ``FOR UPDATE`` that waited for another transaction returns the locked
        row's new version but the joined customer as it was before: locking first and reading in
        a second statement sees both as committed (a chat linked meanwhile).
        """
        await self._session.execute(
            select(Order.id).where(Order.id == order_id).with_for_update(of=Order)
        )
        query = (
            select(Order)
            .options(joinedload(Order.items))
            .where(Order.id == order_id)
            .execution_options(populate_existing=True)
        )
        return (await self._session.execute(query)).unique().scalar_one_or_none()

    async def point_checks_due(self, limit: int) -> list[tuple[int, str, str]]:
        """(id, carrier, city) of orders whose pickup point waits to be checked, oldest first."""
        rows = await self._session.execute(
            select(Order.id, Order.carrier, Order.city)
            .where(Order.point_check == "pending")
            .order_by(Order.id)
            .limit(limit)
        )
        return [(row.id, row.carrier, row.city) for row in rows]

    async def by_external_id(self, external_id: str, *, for_update: bool = False) -> Order | None:
        query = select(Order).where(Order.external_id == external_id)
        if for_update:
            query = query.with_for_update(of=Order)
        return await self._session.scalar(query)

    async def by_link_token(self, token: str) -> Order | None:
        return await self._session.scalar(select(Order).where(Order.link_token == token))

    async def of_customer(
        self, customer_id: int, *, status: str | None = None, for_update: bool = False
    ) -> Sequence[Order]:
        """``for_update``: locked, and read as last committed (what a card shows is current)."""
        query = select(Order).where(Order.customer_id == customer_id)
        if status is not None:
            query = query.where(Order.status == status)
        if for_update:
            query = query.with_for_update(of=Order).execution_options(populate_existing=True)
        return (await self._session.scalars(query.order_by(Order.id))).all()

    async def recent_of_customer(self, customer_id: int, limit: int) -> Sequence[Order]:
        """The customer's latest orders, newest first."""
        query = (
            select(Order)
            .where(Order.customer_id == customer_id)
            .order_by(Order.id.desc())
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()

    async def recipient_names(self, customer_id: int) -> Sequence[str]:
        """Every name the customer's orders came with, the most recently used first."""
        latest = func.max(Order.id)
        query = (
            select(Order.recipient_name)
            .where(Order.customer_id == customer_id)
            .group_by(Order.recipient_name)
            .order_by(latest.desc())
        )
        return (await self._session.scalars(query)).all()

    async def recent_for_telegram_user(self, telegram_id: int, limit: int) -> Sequence[Order]:
        query = (
            select(Order)
            .join(Customer, Order.customer_id == Customer.id)
            .where(Customer.telegram_id == telegram_id)
            .order_by(Order.created_at.desc(), Order.id.desc())
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()

    async def changed(
        self,
        *,
        since: datetime | None,
        after: tuple[datetime, int] | None,
        limit: int,
    ) -> Sequence[Order]:
        """Orders by ``(updated_at, id)``: changed at or after ``since``, past the key ``after``."""
        query = select(Order)
        if since is not None:
            query = query.where(Order.updated_at >= since)
        if after is not None:
            at, order_id = after
            query = query.where(
                or_(Order.updated_at > at, and_(Order.updated_at == at, Order.id > order_id))
            )
        query = query.order_by(Order.updated_at, Order.id).limit(limit)
        return (await self._session.scalars(query)).unique().all()

    async def events_of(self, order_id: int) -> Sequence[OrderEvent]:
        query = select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
        return (await self._session.scalars(query)).all()

    def add_event(self, event: OrderEvent) -> None:
        self._session.add(event)
