from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Customer


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_phone(self, phone: str) -> Customer | None:
        return await self._session.scalar(select(Customer).where(Customer.phone == phone))

    async def get(self, customer_id: int) -> Customer | None:
        return await self._session.get(Customer, customer_id)

    async def by_telegram_id(self, telegram_id: int) -> Sequence[Customer]:
        query = select(Customer).where(Customer.telegram_id == telegram_id).order_by(Customer.id)
        return (await self._session.scalars(query)).all()

    async def add(self, *, phone: str, name: str, now: datetime) -> Customer:
        customer = Customer(phone=phone, name=name, created_at=now, updated_at=now)
        self._session.add(customer)
        await self._session.flush()
        return customer
