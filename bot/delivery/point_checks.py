"""The background loop that checks new orders' pickup points (outside intake's transaction)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.background import ClockedRounds
from bot.carriers.capabilities import PickupPoints
from bot.clock import Clock
from bot.services.context import ServiceContext
from bot.services.pickup_points.check import BATCH, check_due_points
from storage.uow import Database

# A new order's check waits at most this long when no commit woke the loop (another process
# took the order in: its commit wakes this one only through the outbox worker's election).
MAX_WAIT = 30.0


class PointChecks(ClockedRounds):
    def __init__(
        self,
        db: Database,
        ctx: ServiceContext,
        clock: Clock,
        sources: Mapping[str, PickupPoints],
    ) -> None:
        super().__init__(clock, name="pickup point checks", max_sleep=MAX_WAIT, retry_after=60.0)
        self._db = db
        self._ctx = ctx
        self._sources = sources
        db.on_commit(self.wake)  # intake's commit queues the card or the shop's event

    async def _round(self) -> datetime | None:
        checked = await check_due_points(self._db, self._ctx, self._sources, limit=BATCH)
        return self._clock.now() if checked >= BATCH else None
