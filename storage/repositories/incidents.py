from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Incident


class IncidentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, kind: str) -> Incident | None:
        """The incident of this kind, locked: two workers must not both announce it."""
        return await self._session.scalar(
            select(Incident).where(Incident.kind == kind).with_for_update()
        )

    def add(self, incident: Incident) -> None:
        self._session.add(incident)
