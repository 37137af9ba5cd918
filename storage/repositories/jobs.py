from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import JobRun


class JobRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def last_run(self, name: str) -> datetime | None:
        run = await self._session.get(JobRun, name)
        return run.last_run_at if run else None

    async def claim(self, name: str, *, due: datetime, now: datetime) -> bool:
        """Record a run of ``name`` for the slot ``due``; False if that slot already ran."""
        run = await self._session.get(JobRun, name, with_for_update=True)
        if run is not None and run.last_run_at >= due:
            return False
        if run is None:
            self._session.add(JobRun(name=name, last_run_at=now))
        else:
            run.last_run_at = now
        await self._session.flush()
        return True
