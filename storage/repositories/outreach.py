"""Viber/SMS messages to customers outside Telegram, and what the outreach rules ask of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Order, OutreachMessage

# States a message is counted in: it went (or is going) to the customer. Skipped and failed
# messages cost nothing and never reached a phone.
GONE = ("queued", "sent", "delivered", "read", "not_delivered", "expired", "rejected")


class OutreachRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, message: OutreachMessage) -> OutreachMessage:
        self._session.add(message)
        return message

    async def get(self, message_id: int, *, for_update: bool = False) -> OutreachMessage | None:
        query = select(OutreachMessage).where(OutreachMessage.id == message_id)
        if for_update:
            query = query.with_for_update()
        return await self._session.scalar(query)

    async def of_order(self, order_id: int) -> Sequence[OutreachMessage]:
        query = (
            select(OutreachMessage)
            .where(OutreachMessage.order_id == order_id)
            .order_by(OutreachMessage.id)
        )
        return (await self._session.scalars(query)).all()

    async def sent_times(self, customer_id: int, since: datetime) -> list[datetime]:
        """When this customer's messages went out (or were queued to), from ``since`` on."""
        query = select(OutreachMessage.created_at).where(
            OutreachMessage.customer_id == customer_id,
            OutreachMessage.created_at >= since,
            OutreachMessage.state.in_(GONE),
        )
        return list((await self._session.scalars(query)).all())

    async def spent(self, since: datetime) -> Decimal:
        """What the messages queued from ``since`` on cost (the most each may cost, until known)."""
        query = select(func.coalesce(func.sum(OutreachMessage.cost), 0)).where(
            OutreachMessage.created_at >= since, OutreachMessage.state.in_(GONE)
        )
        return Decimal(await self._session.scalar(query) or 0)

    async def awaiting_report(
        self, *, sent_before: datetime, sent_after: datetime, limit: int
    ) -> Sequence[OutreachMessage]:
        """Messages with the provider whose delivery is not final yet, oldest check first."""
        query = (
            select(OutreachMessage)
            .where(
                OutreachMessage.state.in_(("sent", "delivered")),
                OutreachMessage.provider_message_id.is_not(None),
                OutreachMessage.sent_at <= sent_before,
                OutreachMessage.sent_at > sent_after,
            )
            .order_by(OutreachMessage.checked_at.is_not(None), OutreachMessage.checked_at)
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()

    async def by_short_code(self, code: str) -> Order | None:
        return await self._session.scalar(select(Order).where(Order.short_code == code))
