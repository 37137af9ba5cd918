"""The watchdog: a round every minute in the elected worker that looks for what a person must fix.

It opens or clears the outbox incident (``bot.services.watchdog``), and measures database outages
where this process can see them: from the first round that failed because the database could not
be reached (or from the moment the worker's lock connection broke, which on PostgreSQL deposes the
worker before any round fails, or a stand-by's attempt at the lock went unanswered) to the first
round, or attempt, that worked again. An outage over ``DATABASE_OUTAGE_TOLD_AFTER`` is told then
(it could not be stored while it lasted). The ``DatabaseOutage`` is the process's, outliving the
worker's terms; every process that saw the outage reports it, and the first tells it (the others'
overlapping sightings only widen the stored one), so it is told even when another process leads
after it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot.background import ClockedRounds
from bot.clock import Clock
from bot.domain.incidents import DATABASE_OUTAGE_TOLD_AFTER
from bot.services.context import ServiceContext
from bot.services.watchdog import check_outbox, tell_database_outage
from storage.outage import database_unavailable
from storage.uow import Database

log = logging.getLogger(__name__)

EVERY = timedelta(minutes=1)
TELLING_TIMEOUT = 15.0  # seconds a stop waits for an outage being recorded


class DatabaseOutage:
    """Since when this process has seen the database unreachable (None: it has not), and the
    telling of it once the database answers again."""

    def __init__(self) -> None:
        self.since: datetime | None = None
        self._telling = asyncio.Lock()  # the watchdog and the lock may both see it answer
        self._task: asyncio.Task[None] | None = None

    def began(self, at: datetime) -> None:
        """The database could not be reached at ``at`` (the first sighting counts)."""
        if self.since is None:
            self.since = at

    async def answered(self, db: Database, ctx: ServiceContext, now: datetime) -> None:
        """The database answers again: an outage over ``DATABASE_OUTAGE_TOLD_AFTER`` is told
        (once, whichever process tells it first). Forgotten only once told: a relapse while
        telling raises and keeps it."""
        async with self._telling:
            since = self.since
            if since is None:
                return
            log.warning("the database answers again (unreachable since %s)", since.isoformat())
            if now - since > DATABASE_OUTAGE_TOLD_AFTER:
                await tell_database_outage(db, ctx, since=since, until=now)
            self.since = None

    def answered_soon(self, db: Database, ctx: ServiceContext, now: datetime) -> None:
        """``answered`` from a callback that cannot wait (a lock's attempt that got an answer)."""
        if self.since is None or (self._task is not None and not self._task.done()):
            return
        self._task = asyncio.create_task(self._answered(db, ctx, now), name="database outage")

    async def _answered(self, db: Database, ctx: ServiceContext, now: datetime) -> None:
        try:
            await self.answered(db, ctx, now)
        except Exception as error:  # kept: the next answer tells it
            log.warning("could not record the database outage yet: %s", error)

    async def close(self) -> None:
        """Let a telling under way finish (it is one short transaction), at stop; one that hangs
        (the database away again) is cut off rather than holding the stop up."""
        if self._task is None:
            return
        try:
            await asyncio.wait_for(self._task, TELLING_TIMEOUT)
        except TimeoutError:
            log.warning("stopping before the database outage could be recorded")


class Watchdog(ClockedRounds):
    def __init__(
        self,
        db: Database,
        ctx: ServiceContext,
        clock: Clock,
        *,
        every: timedelta = EVERY,
        max_sleep: float = 60.0,
        retry_after: float = 15.0,
        outage: DatabaseOutage | None = None,
    ) -> None:
        super().__init__(clock, name="the watchdog", max_sleep=max_sleep, retry_after=retry_after)
        self._db = db
        self._ctx = ctx
        self._every = every
        self.outage = outage or DatabaseOutage()

    def wake(self) -> None:
        """Not woken early, by a clock jump least of all: a jumped clock (the sandbox's "+1 day")
        makes every waiting message look old until the worker, woken by the same jump, has sent
        them. The next round, at most ``max_sleep`` later, sees what is really held up."""

    async def run_once(self) -> bool:
        """One round; True while messages are held up. A database outage is noted and re-raised."""
        now = self._clock.now()
        try:
            held_up = await check_outbox(self._db, self._ctx)
        except Exception as exc:
            if database_unavailable(exc):
                self.outage.began(now)
            raise
        await self.outage.answered(self._db, self._ctx, now)
        return held_up

    async def _round(self) -> datetime | None:
        await self.run_once()
        return self._clock.now() + self._every
