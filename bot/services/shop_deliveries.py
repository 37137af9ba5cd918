"""The shop's endpoint as the delivery worker sees it: deliveries given up open an incident, the
next one accepted clears it; failed deliveries can be queued again."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.incidents import IncidentKind
from bot.services import incidents
from bot.services.context import ServiceContext
from storage.uow import Database, UnitOfWork


class ShopDeliveryWatch:
    def __init__(self, db: Database, ctx: ServiceContext) -> None:
        self._db = db
        self._ctx = ctx
        # A cache of "an incident may be open" (the database says for sure): unknown at start,
        # so the first accepted delivery looks once; after that, only a failure makes it look.
        self._may_be_open = True

    async def failed(self, uow: UnitOfWork, error: str) -> None:
        """In the transaction that fails the delivery: the incident and its alert with it."""
        self._may_be_open = True
        await incidents.report(uow, self._ctx, IncidentKind.shop_webhooks, error)

    async def delivered(self) -> None:
        if not self._may_be_open:
            return
        async with self._db.uow() as uow:
            await incidents.clear(uow, self._ctx, IncidentKind.shop_webhooks)
            await uow.commit()
        self._may_be_open = False


async def redeliver_failed(db: Database) -> int:
    """Queue every failed shop delivery again, as new (their give-up counts from now)."""
    async with db.uow() as uow:
        count = await uow.outbox.requeue_failed_webhooks(now=uow.clock.now())
        await uow.commit()
    return count


@dataclass(frozen=True)
class DeliveryCounts:
    pending: int
    failed: int


async def count_deliveries(db: Database) -> DeliveryCounts:
    async with db.read() as uow:
        pending, failed = await uow.outbox.webhook_counts()
    return DeliveryCounts(pending=pending, failed=failed)
