from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChatPreference, Customer, Order


class PreferenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def language(self, telegram_id: int) -> str | None:
        preference = await self._session.get(ChatPreference, telegram_id)
        return preference.language if preference else None

    async def languages_of(self, telegram_id: int) -> tuple[str | None, str | None]:
        """(the language the person chose, the language of their latest order) in one query;
        the order's only matters when they chose none."""
        chosen = (
            select(ChatPreference.language)
            .where(ChatPreference.telegram_id == telegram_id)
            .scalar_subquery()
        )
        latest = (
            select(Order.language)
            .join(Customer, Order.customer_id == Customer.id)
            .where(Customer.telegram_id == telegram_id)
            .order_by(Order.created_at.desc(), Order.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        language, order_language = (await self._session.execute(select(chosen, latest))).one()
        return (language, None) if language else (None, order_language)

    async def set_language(self, telegram_id: int, language: str, now: datetime) -> None:
        preference = await self._session.get(ChatPreference, telegram_id)
        if preference is None:
            self._session.add(
                ChatPreference(telegram_id=telegram_id, language=language, updated_at=now)
            )
        else:
            preference.language = language
            preference.updated_at = now
