from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.retention import Bookkeeping
from storage.models import Timer
from storage.repositories.affected import rows_affected
from storage.signals import TIMER_WORK, note_queued


class TimerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def schedule(self, *, kind: str, order_id: int, due_at: datetime, now: datetime) -> None:
        """One timer of a kind per order: scheduling again moves the existing one."""
        await self.schedule_all(order_id=order_id, due={kind: due_at}, now=now)

    async def schedule_all(
        self, *, order_id: int, due: Mapping[str, datetime], now: datetime
    ) -> None:
        """``schedule`` for several kinds at once: one query for the timers already there.

        The rows found are locked (PostgreSQL): housekeeping, deleting timers that ran long ago,
        waits for this transaction instead of deleting a row it is about to move."""
        query = (
            select(Timer)
            .where(Timer.order_id == order_id, Timer.kind.in_(list(due)))
            .with_for_update()
        )
        existing = {timer.kind: timer for timer in (await self._session.scalars(query)).all()}
        for kind, due_at in due.items():
            timer = existing.get(kind)
            if timer is None:
                self._session.add(
                    Timer(kind=kind, order_id=order_id, due_at=due_at, created_at=now)
                )
            else:
                timer.due_at = due_at
                timer.done_at = None
        note_queued(self._session.info, TIMER_WORK)

    async def due(self, now: datetime, limit: int) -> Sequence[Timer]:
        query = (
            select(Timer)
            .where(Timer.done_at.is_(None), Timer.due_at <= now)
            .order_by(Timer.due_at, Timer.id)
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()

    async def count_due(self, now: datetime) -> int:
        """Timers past their due time that have not run yet (a backlog, for metrics)."""
        query = select(func.count(Timer.id)).where(Timer.done_at.is_(None), Timer.due_at <= now)
        return int(await self._session.scalar(query) or 0)

    async def next_due_at(self) -> datetime | None:
        query = select(Timer.due_at).where(Timer.done_at.is_(None)).order_by(Timer.due_at).limit(1)
        return await self._session.scalar(query)

    async def claim(self, timer_id: int, now: datetime) -> bool:
        """Mark a timer done; False if someone else already did (it then must not run twice)."""
        result = await self._session.execute(
            update(Timer).where(Timer.id == timer_id, Timer.done_at.is_(None)).values(done_at=now)
        )
        return rows_affected(result) == 1

    async def of_order(self, order_id: int) -> Sequence[Timer]:
        query = select(Timer).where(Timer.order_id == order_id).order_by(Timer.id)
        return (await self._session.scalars(query)).all()

    async def oldest_after(self, after_id: int, limit: int) -> list[Bookkeeping]:
        """The next ``limit`` timers by id after ``after_id``, as housekeeping sees them."""
        query = (
            select(Timer.id, Timer.created_at, Timer.done_at)
            .where(Timer.id > after_id)
            .order_by(Timer.id)
            .limit(limit)
        )
        rows = (await self._session.execute(query)).all()
        return [Bookkeeping(row[0], row[1], row[2]) for row in rows]

    async def delete_done(self, ids: Sequence[int], *, before: datetime) -> int:
        """Delete these timers if they still ran before ``before`` (not rescheduled since)."""
        if not ids:
            return 0
        result = await self._session.execute(
            delete(Timer)
            .where(Timer.id.in_(ids), Timer.done_at.is_not(None), Timer.done_at < before)
            .execution_options(synchronize_session=False)
        )
        return rows_affected(result)
