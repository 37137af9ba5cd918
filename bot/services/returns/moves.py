"""Moving a return from one status to the next: the rule check, the history, the waiting clock."""

from __future__ import annotations

from datetime import datetime

from bot.domain.orders import EventSource
from bot.domain.returns import WAITING_ON_MANAGER, ReturnStatus, check_return_move
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.services.returns import review
from storage.models import Return, ReturnEvent
from storage.uow import UnitOfWork


def record_move(
    uow: UnitOfWork,
    return_: Return,
    previous: ReturnStatus | None,
    target: ReturnStatus,
    *,
    source: EventSource,
    actor: TelegramUser | None = None,
    comment: str | None = None,
    at: datetime | None = None,
) -> None:
    """``at``: when the move happened elsewhere (a carrier's moment), if not just now."""
    uow.returns.add_event(
        ReturnEvent(
            return_id=return_.id,
            from_status=previous.value if previous else None,
            to_status=target.value,
            source=source.value,
            actor_id=actor.id if actor else None,
            actor_name=actor.full_name if actor else None,
            comment=comment,
            occurred_at=at or uow.clock.now(),
        )
    )


def move(
    uow: UnitOfWork,
    return_: Return,
    target: ReturnStatus,
    *,
    source: EventSource,
    actor: TelegramUser | None = None,
    comment: str | None = None,
    at: datetime | None = None,
) -> ReturnStatus:
    """Move the return if the rules allow it (else IllegalReturnMove); the old status back.

    Entering a status that waits on a manager starts the review clock (RETURN_REVIEW_SLA) afresh,
    from now even when the move happened earlier (``at``): managers can act only once they know;
    leaving one stops it.
    """
    current = ReturnStatus(return_.status)
    check_return_move(current, target)
    now = uow.clock.now()
    return_.status = target.value
    return_.updated_at = now
    if target in WAITING_ON_MANAGER:
        return_.waiting_since, return_.announced_at = now, None
    else:
        return_.waiting_since = None
    record_move(uow, return_, current, target, source=source, actor=actor, comment=comment, at=at)
    return current


async def advance(
    uow: UnitOfWork,
    ctx: ServiceContext,
    return_: Return,
    target: ReturnStatus,
    *,
    source: EventSource,
    actor: TelegramUser | None = None,
    comment: str | None = None,
    at: datetime | None = None,
) -> ReturnStatus:
    """``move``, and when the return now waits on a manager, the reminder for RETURN_REVIEW_SLA."""
    previous = move(uow, return_, target, source=source, actor=actor, comment=comment, at=at)
    if target in WAITING_ON_MANAGER:
        await review.schedule(uow, ctx, return_)
    return previous
