"""How a customer's parcels ended, read from their orders (read-only)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.categories import CustomerHistory
from bot.domain.orders import OrderStatus
from storage.models import Order

# A refused parcel goes back to the shop: "returning" is still a refusal, "returned" is the end.
RECEIVED = (OrderStatus.received.value,)
REFUSED = (OrderStatus.refused.value, OrderStatus.returning.value)
RETURNED = (OrderStatus.returned.value,)


class HistoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of_customer(self, customer_id: int) -> CustomerHistory:
        """Counts of received / refused / returned orders and the total of the received ones."""
        query = (
            select(Order.status, func.count(Order.id), func.sum(Order.total))
            .where(Order.customer_id == customer_id)
            .where(Order.status.in_(RECEIVED + REFUSED + RETURNED))
            .group_by(Order.status)
        )
        counts: dict[str, int] = {}
        received_total = Decimal("0")
        for status, count, total in (await self._session.execute(query)).all():
            counts[status] = int(count)
            if status in RECEIVED and total is not None:
                received_total += Decimal(str(total))
        return CustomerHistory(
            received=sum(counts.get(status, 0) for status in RECEIVED),
            refused=sum(counts.get(status, 0) for status in REFUSED),
            returned=sum(counts.get(status, 0) for status in RETURNED),
            received_total=received_total,
        )
