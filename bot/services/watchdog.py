"""What the watchdog checks each round: messages held up in the outbox open an incident, and a
database outage it lived through is told once the database answers again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from bot.domain.incidents import OUTBOX_STALE_AFTER, IncidentKind
from bot.services import incidents
from bot.services.context import ServiceContext
from storage.uow import Database


async def check_outbox(db: Database, ctx: ServiceContext) -> bool:
    """Open (or keep) the outbox incident while a message waits too long, clear it after; True
    while held up."""
    async with db.uow() as uow:
        now = uow.clock.now()
        oldest = await uow.outbox.held_up(now - OUTBOX_STALE_AFTER)
        if oldest is not None and await incidents.is_open(uow, IncidentKind.telegram_token):
            pass  # Telegram refuses the token: its all-clear tells the whole story, once
        elif oldest is not None:
            detail = oldest.last_error or ""  # never tried: the texts say the worker is away
            await incidents.report(
                uow, ctx, IncidentKind.outbox_stale, detail, since=oldest.created_at
            )
        else:
            await incidents.clear(uow, ctx, IncidentKind.outbox_stale)
        await uow.commit()
    return oldest is not None


async def tell_database_outage(
    db: Database, ctx: ServiceContext, *, since: datetime, until: datetime
) -> bool:
    """Store and tell an outage this process saw; True if told (not already, by another)."""
    try:
        return await _record_outage(db, ctx, since, until)
    except IntegrityError:  # another process stored the first one a moment ago: widen that one
        return await _record_outage(db, ctx, since, until)


async def _record_outage(
    db: Database, ctx: ServiceContext, since: datetime, until: datetime
) -> bool:
    async with db.uow() as uow:
        told = await incidents.record_past(
            uow, ctx, IncidentKind.database, since=since, until=until, detail="unreachable"
        )
        await uow.commit()
    return told
