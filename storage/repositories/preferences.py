from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChatPreference


class PreferenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def language(self, telegram_id: int) -> str | None:
        preference = await self._session.get(ChatPreference, telegram_id)
        return preference.language if preference else None

    async def set_language(self, telegram_id: int, language: str, now: datetime) -> None:
        preference = await self._session.get(ChatPreference, telegram_id)
        if preference is None:
            self._session.add(
                ChatPreference(telegram_id=telegram_id, language=language, updated_at=now)
            )
        else:
            preference.language = language
            preference.updated_at = now
