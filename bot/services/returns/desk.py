"""Managers decide on returns from the card's buttons: approve, reject, ask, and later mark the
parcel arrived, the inspection, the refund. Plus /returns.

Every step checks who acts (ADMIN_IDS) and where the return is now, in the same transaction that
moves it: a forged id is not found, and a button from a card that has moved on changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from bot.domain.audit import AuditAction
from bot.domain.errors import N_, NotFound
from bot.domain.money import Money
from bot.domain.orders import EventSource
from bot.domain.return_desk import (
    NEEDS_AMOUNT,
    NEEDS_TEXT,
    AmountOutOfRange,
    DeskStep,
    check_amount,
    check_step,
    clean_note,
)
from bot.domain.returns import FINAL_RETURN, ReturnStatus, return_number
from bot.services import audit
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.people import TelegramUser
from bot.services.returns.moves import advance
from bot.services.returns.notices import announce_move
from storage.models import Return
from storage.uow import Database, UnitOfWork

OPEN = tuple(status.value for status in ReturnStatus if status not in FINAL_RETURN)
MAX_OPEN = 1000


class ReturnNotFound(NotFound):
    message_key = N_("Return not found.")
    code = "not_found"


async def get_return(uow: UnitOfWork, return_id: int, *, for_update: bool = False) -> Return:
    return_ = await uow.returns.get(return_id, for_update=for_update)
    if return_ is None:
        raise ReturnNotFound()
    return return_


async def may_take(
    db: Database, ctx: ServiceContext, return_id: int, step: DeskStep, manager: TelegramUser
) -> Return:
    """Before asking the manager for a reason, a question or an amount: may the step be taken now?

    Nothing changes; the answer is checked again when it comes.
    """
    require_admin(ctx, manager)
    async with db.read() as uow:
        return_ = await get_return(uow, return_id)
        check_step(ReturnStatus(return_.status), step, return_number(return_.id))
        return return_


async def take(
    db: Database,
    ctx: ServiceContext,
    return_id: int,
    step: DeskStep,
    manager: TelegramUser,
    *,
    note: str | None = None,
    amount: Decimal | None = None,
) -> Return:
    """Take ``step``: move the return; the customer, the card and the shop learn of it."""
    require_admin(ctx, manager)
    async with db.uow() as uow:
        return_ = await get_return(uow, return_id, for_update=True)
        target = check_step(ReturnStatus(return_.status), step, return_number(return_.id))
        words = clean_note(note) if step in NEEDS_TEXT else None
        if step in NEEDS_AMOUNT:
            order = return_.order
            if amount is None or not check_amount(amount, order.total):
                raise AmountOutOfRange(total=Money(order.total, order.currency))
            return_.refund_amount = amount
        if words is not None:
            return_.manager_note = words
        if target in (ReturnStatus.approved, ReturnStatus.rejected):
            return_.decided_by_name = manager.full_name
        previous = await advance(
            uow, ctx, return_, target, source=EventSource.manager, actor=manager, comment=words
        )
        await announce_move(uow, ctx, return_, previous, note=words)
        detail = f"{return_number(return_.id)} → {target.value}"
        audit.log(
            uow,
            manager,
            AuditAction.return_step,
            customer=return_.customer,
            order=return_.order,
            detail=f"{detail}: {words}" if words else detail,
        )
        await uow.commit()
        return return_


@dataclass(frozen=True)
class OpenReturns:
    returns: Sequence[Return]  # oldest first
    now: datetime
    review_sla: timedelta


async def open_returns(db: Database, ctx: ServiceContext, manager: TelegramUser) -> OpenReturns:
    """/returns: every return that is not finished, oldest first."""
    require_admin(ctx, manager)
    async with db.read() as uow:
        returns = await uow.returns.with_status(OPEN, MAX_OPEN)
        return OpenReturns(returns, uow.clock.now(), ctx.return_rules.review_sla)
