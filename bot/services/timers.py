"""Runs due timers. Each kind of timer belongs to the feature that scheduled it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from types import MappingProxyType

from bot.services import confirmation_timers, tracking_notices
from bot.services.context import ServiceContext
from bot.services.outreach import due as outreach_due
from bot.services.outreach.plan import OUTREACH
from bot.services.returns import review as return_review
from storage.uow import Database, UnitOfWork

log = logging.getLogger(__name__)

Fire = Callable[[UnitOfWork, ServiceContext, str, int], Awaitable[None]]

# A timer's kind is "<feature>" or "<feature>:<detail>"; the feature picks the handler.
HANDLERS: Mapping[str, Fire] = MappingProxyType(
    {
        **{kind.value: confirmation_timers.fire for kind in confirmation_timers.TimerKind},
        tracking_notices.TRACK: tracking_notices.fire,
        tracking_notices.PICKUP: tracking_notices.fire,
        return_review.REVIEW: return_review.fire,
        OUTREACH: outreach_due.fire,
    }
)


def handler_for(kind: str, handlers: Mapping[str, Fire] = HANDLERS) -> Fire | None:
    return handlers.get(kind) or handlers.get(kind.split(":", 1)[0])


async def run_due_timers(db: Database, ctx: ServiceContext, *, limit: int = 200) -> int:
    """Fire every timer that is due; each in its own transaction. Returns how many fired."""
    async with db.read() as uow:
        due = [
            (timer.id, timer.kind, timer.order_id)
            for timer in await uow.timers.due(uow.clock.now(), limit)
        ]
    fired = 0
    for timer_id, kind, order_id in due:
        try:
            async with db.uow() as uow:
                if not await uow.timers.claim(timer_id, uow.clock.now()):
                    continue
                handler = handler_for(kind)
                if handler is None:
                    log.error("timer %s has an unknown kind %r; dropped", timer_id, kind)
                else:
                    await handler(uow, ctx, kind, order_id)
                await uow.commit()
                fired += 1
        except Exception:
            log.exception(
                "timer %s (%s) for order %s failed; it will be retried", timer_id, kind, order_id
            )
    return fired


async def next_due_at(db: Database) -> datetime | None:
    async with db.read() as uow:
        return await uow.timers.next_due_at()
