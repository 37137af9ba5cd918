"""Bulk writes for importing past orders: many rows per statement, no ORM objects.

Rows are plain dicts keyed by column name. Like every repository, this one never commits.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Customer, Feedback, Order, OrderEvent
from storage.repositories.affected import table_of

Row = Mapping[str, Any]


class ImportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def known_external_ids(self, external_ids: Collection[str]) -> set[str]:
        """Which of ``external_ids`` are orders already stored."""
        if not external_ids:
            return set()
        query = select(Order.external_id).where(Order.external_id.in_(list(external_ids)))
        return set((await self._session.scalars(query)).all())

    async def customer_ids(self, phones: Collection[str]) -> dict[str, int]:
        """Phone → customer id for the ``phones`` (E.164) that belong to a stored customer."""
        if not phones:
            return {}
        query = select(Customer.phone, Customer.id).where(Customer.phone.in_(list(phones)))
        return {phone: id_ for phone, id_ in (await self._session.execute(query)).all()}

    async def add_customers(self, rows: Sequence[Row]) -> dict[str, int]:
        """Insert customers; phone → the new id."""
        if not rows:
            return {}
        statement = insert(table_of(Customer)).returning(Customer.phone, Customer.id)
        result = await self._session.execute(statement, list(rows))
        return {phone: id_ for phone, id_ in result.all()}

    async def add_orders(self, rows: Sequence[Row]) -> dict[str, int]:
        """Insert orders; external_id → the new id."""
        if not rows:
            return {}
        statement = insert(table_of(Order)).returning(Order.external_id, Order.id)
        result = await self._session.execute(statement, list(rows))
        return {external_id: id_ for external_id, id_ in result.all()}

    async def add_events(self, rows: Sequence[Row]) -> None:
        if rows:
            await self._session.execute(insert(table_of(OrderEvent)), list(rows))

    async def add_feedback(self, rows: Sequence[Row]) -> None:
        if rows:
            await self._session.execute(insert(table_of(Feedback)), list(rows))
