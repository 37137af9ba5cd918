from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Customer, CustomerFlag, CustomerNote


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_phone(self, phone: str) -> Customer | None:
        return await self._session.scalar(select(Customer).where(Customer.phone == phone))

    async def erased_with_phone_hash(self, phone_hash: str) -> Customer | None:
        query = (
            select(Customer)
            .where(Customer.phone_hash == phone_hash, Customer.erased_at.is_not(None))
            .order_by(Customer.id.desc())
            .limit(1)
        )
        return await self._session.scalar(query)

    async def get(self, customer_id: int, *, for_update: bool = False) -> Customer | None:
        query = select(Customer).where(Customer.id == customer_id)
        if for_update:
            query = query.with_for_update()
        return await self._session.scalar(query)

    async def many(self, customer_ids: Sequence[int]) -> Sequence[Customer]:
        if not customer_ids:
            return []
        query = select(Customer).where(Customer.id.in_(customer_ids))
        found = {customer.id: customer for customer in (await self._session.scalars(query)).all()}
        return [found[customer_id] for customer_id in customer_ids if customer_id in found]

    async def by_telegram_id(self, telegram_id: int) -> Sequence[Customer]:
        query = select(Customer).where(Customer.telegram_id == telegram_id).order_by(Customer.id)
        return (await self._session.scalars(query)).all()

    async def by_username(self, username: str) -> Sequence[Customer]:
        query = (
            select(Customer)
            .where(func.lower(Customer.telegram_username) == username.lower())
            .order_by(Customer.id)
        )
        return (await self._session.scalars(query)).all()

    async def search(
        self, *, digits: str | None, name: str | None, limit: int
    ) -> Sequence[Customer]:
        """Customers whose phone contains ``digits`` or whose name contains ``name``."""
        conditions = []
        if digits:
            conditions.append(Customer.phone.contains(digits, autoescape=True))
        if name:
            conditions.append(func.lower(Customer.name).contains(name.lower(), autoescape=True))
        if not conditions:
            return []
        query = select(Customer).where(or_(*conditions)).order_by(Customer.name, Customer.id)
        return (await self._session.scalars(query.limit(limit))).all()

    async def add(self, *, phone: str, name: str, now: datetime) -> Customer:
        customer = Customer(phone=phone, name=name, created_at=now, updated_at=now)
        self._session.add(customer)
        await self._session.flush()
        return customer

    async def flag(self, customer_id: int, flag: str) -> CustomerFlag | None:
        query = select(CustomerFlag).where(
            CustomerFlag.customer_id == customer_id, CustomerFlag.flag == flag
        )
        return await self._session.scalar(query)

    def add_flag(self, flag: CustomerFlag) -> None:
        self._session.add(flag)

    def add_note(self, note: CustomerNote) -> None:
        self._session.add(note)

    async def notes(self, customer_id: int, limit: int) -> Sequence[CustomerNote]:
        query = (
            select(CustomerNote)
            .where(CustomerNote.customer_id == customer_id)
            .order_by(CustomerNote.id.desc())
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()
