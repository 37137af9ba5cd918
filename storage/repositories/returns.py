from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.order_events import OrderEventKind
from bot.domain.orders import OrderStatus
from storage.models import Order, OrderEvent, Return, ReturnEvent, ReturnItem


class ReturnRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, return_: Return) -> None:
        self._session.add(return_)

    async def flush(self) -> None:
        await self._session.flush()

    async def get(self, return_id: int, *, for_update: bool = False) -> Return | None:
        query = select(Return).where(Return.id == return_id)
        if for_update:
            query = query.with_for_update(of=Return)
        return await self._session.scalar(query)

    async def by_waybill(self, waybill: str) -> Return | None:
        query = select(Return).where(Return.waybill == waybill).order_by(Return.id.desc())
        return await self._session.scalar(query.limit(1))

    async def of_customers(self, customer_ids: Sequence[int], limit: int) -> Sequence[Return]:
        if not customer_ids:
            return []
        query = (
            select(Return)
            .where(Return.customer_id.in_(customer_ids))
            .order_by(Return.id.desc())
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()

    async def with_status(
        self,
        statuses: Sequence[str] | None,
        limit: int,
        *,
        oldest_first: bool = True,
        after_id: int = 0,
    ) -> Sequence[Return]:
        """``after_id``: only returns with a larger id (oldest first: the next page)."""
        query = select(Return)
        if after_id:
            query = query.where(Return.id > after_id)
        if statuses is not None:
            query = query.where(Return.status.in_(statuses))
        order = Return.id if oldest_first else Return.id.desc()
        return (await self._session.scalars(query.order_by(order).limit(limit))).all()

    async def waiting_since_before(
        self, statuses: Sequence[str], before: datetime, limit: int
    ) -> Sequence[Return]:
        """Waiting on a manager since before ``before`` and not announced since then."""
        query = (
            select(Return)
            .where(
                Return.status.in_(statuses),
                Return.waiting_since <= before,
                (Return.announced_at.is_(None)) | (Return.announced_at <= before),
            )
            .order_by(Return.waiting_since, Return.id)
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()

    async def quantities_held(self, order_id: int, statuses: Sequence[str]) -> dict[int, int]:
        """Per order item: how many are in returns of ``statuses`` (the ones that hold items)."""
        query = (
            select(ReturnItem.order_item_id, func.sum(ReturnItem.quantity))
            .join(Return, ReturnItem.return_id == Return.id)
            .where(Return.order_id == order_id, Return.status.in_(statuses))
            .group_by(ReturnItem.order_item_id)
        )
        return {
            item_id: int(total) for item_id, total in (await self._session.execute(query)).all()
        }

    async def received_at(self, order: Order) -> datetime:
        """When the customer picked the order up: its move to ``received``, else its last change."""
        query = select(func.min(OrderEvent.occurred_at)).where(
            OrderEvent.order_id == order.id,
            OrderEvent.kind == OrderEventKind.status.value,
            OrderEvent.to_status == OrderStatus.received.value,
        )
        return await self._session.scalar(query) or order.updated_at

    def add_event(self, event: ReturnEvent) -> None:
        self._session.add(event)

    async def events_of(self, return_id: int) -> Sequence[ReturnEvent]:
        query = select(ReturnEvent).where(ReturnEvent.return_id == return_id)
        return (await self._session.scalars(query.order_by(ReturnEvent.id))).all()
