from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import AuditEntry, Customer, Order


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, entry: AuditEntry) -> None:
        self._session.add(entry)

    async def latest(
        self, limit: int, *, customer_id: int | None = None
    ) -> Sequence[tuple[AuditEntry, Customer | None, str | None]]:
        """The newest entries first, with the customer and the order number they concern."""
        customer = aliased(Customer)
        query = (
            select(AuditEntry, customer, Order.external_id)
            .outerjoin(customer, AuditEntry.customer_id == customer.id)
            .outerjoin(Order, AuditEntry.order_id == Order.id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
        if customer_id is not None:
            query = query.where(AuditEntry.customer_id == customer_id)
        return [tuple(row) for row in (await self._session.execute(query)).all()]  # type: ignore[misc]
