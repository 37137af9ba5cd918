"""The shop reads returns and moves them through the API, by the same rules as the managers' chat.

A move the status table forbids raises IllegalReturnMove (409 with the current status); the
customer hears about every move, the managers' card follows, and the shop is not told back what it
did itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bot.domain.orders import Carrier, EventSource
from bot.domain.return_desk import AmountOutOfRange, check_amount, clean_note
from bot.domain.returns import ReturnStatus, check_return_move
from bot.domain.waybills import normalise_waybill
from bot.services.context import ServiceContext
from bot.services.returns.desk import get_return
from bot.services.returns.followups import check_waybill
from bot.services.returns.moves import advance
from bot.services.returns.notices import announce_move
from storage.models import Return, ReturnEvent
from storage.uow import Database

NEEDS_COMMENT = frozenset({ReturnStatus.rejected, ReturnStatus.info_requested})


@dataclass(frozen=True)
class ShopMove:
    """``POST /api/v1/returns/{number}/status``, validated field by field already."""

    status: ReturnStatus
    comment: str | None = None  # the reason or the question, for the customer
    refund_amount: Decimal | None = None
    waybill: str | None = None


async def list_returns(
    db: Database, statuses: Sequence[ReturnStatus] | None, limit: int, *, after_id: int = 0
) -> Sequence[Return]:
    """Oldest first, after the return ``after_id`` (a page's cursor)."""
    async with db.read() as uow:
        values = [status.value for status in statuses] if statuses else None
        return await uow.returns.with_status(values, limit, after_id=after_id)


async def return_with_history(db: Database, return_id: int) -> tuple[Return, list[ReturnEvent]]:
    async with db.read() as uow:
        return_ = await get_return(uow, return_id)
        return return_, list(await uow.returns.events_of(return_.id))


async def move_by_shop(
    db: Database, ctx: ServiceContext, return_id: int, change: ShopMove
) -> Return:
    async with db.uow() as uow:
        return_ = await get_return(uow, return_id, for_update=True)
        target = change.status
        if _already_there(return_, change):
            return return_  # a retried call: nothing to do, and no error
        check_return_move(ReturnStatus(return_.status), target)
        note = clean_note(change.comment) if target in NEEDS_COMMENT else None
        if target is ReturnStatus.shipped:
            return_.waybill = await check_waybill(uow, return_, change.waybill or "")
            return_.parcel_status = None
        if target is ReturnStatus.refunded:
            order = return_.order
            if change.refund_amount is None or not check_amount(change.refund_amount, order.total):
                raise AmountOutOfRange(total=f"{order.total:.2f}")
            return_.refund_amount = change.refund_amount
        if note is not None:
            return_.manager_note = note
        comment = (change.comment or "").strip() or None
        previous = await advance(
            uow, ctx, return_, target, source=EventSource.shop, comment=comment
        )
        await announce_move(uow, ctx, return_, previous, note=note, tell_shop=False)
        await uow.commit()
        return return_


def _already_there(return_: Return, change: ShopMove) -> bool:
    """The return already has this status, with the same waybill or refund where it has one
    (a different one is a conflict, answered as before)."""
    if return_.status != change.status.value:
        return False
    if change.status is ReturnStatus.shipped:
        carrier = Carrier(return_.carrier) if return_.carrier in set(Carrier) else Carrier.other
        return normalise_waybill(carrier, change.waybill or "") == return_.waybill
    if change.status is ReturnStatus.refunded:
        return change.refund_amount == return_.refund_amount
    return True
