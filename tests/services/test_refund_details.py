"""REFUND_DETAILS_KEEP: a refund's IBAN and holder's name go that long after the money went, by
the housekeeping loop; the return, its amount and every other return's details stay."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from bot.clock import ManualClock
from bot.delivery.cleanup import Housekeeping
from bot.domain.return_desk import DeskStep
from bot.services.context import ServiceContext
from bot.services.housekeeping import Pruned
from bot.services.returns import desk as return_desk
from storage.models import Return
from storage.uow import Database
from tests.factories import MANAGER
from tests.services.returns.helpers import COMPACT_IBAN, submitted_return

KEEP = timedelta(days=30)


async def refunded(db: Database, ctx: ServiceContext, external_id: str) -> int:
    return_ = await submitted_return(db, ctx, external_id=external_id)
    for step in (DeskStep.approve, DeskStep.arrived, DeskStep.inspected_ok):
        await return_desk.take(db, ctx, return_.id, step, MANAGER)
    await return_desk.take(db, ctx, return_.id, DeskStep.refunded, MANAGER, amount=Decimal("450"))
    return return_.id


async def stored(db: Database, return_id: int) -> Return:
    async with db.read() as uow:
        return_ = await uow.returns.get(return_id)
        assert return_ is not None
        return return_


async def test_bank_details_go_keep_after_the_refund(
    db: Database, ctx: ServiceContext, clock: ManualClock
) -> None:
    old = await refunded(db, ctx, "A-1001")
    waiting = (await submitted_return(db, ctx, external_id="A-1002")).id  # never refunded
    clock.advance(KEEP + timedelta(hours=1))
    recent = await refunded(db, ctx, "A-1003")
    housekeeping = Housekeeping(db, clock, None, refund_details_keep=KEEP)

    assert await housekeeping.run_once() == Pruned(refund_details=1)

    gone = await stored(db, old)
    assert (gone.iban, gone.account_holder) == (None, None)
    assert (gone.status, gone.refund_amount) == ("refunded", Decimal("450.00"))
    for kept in (waiting, recent):
        assert ((await stored(db, kept)).iban, (await stored(db, kept)).account_holder) == (
            COMPACT_IBAN,
            "Олена Коваль",
        )
    assert await housekeeping.run_once() is None  # the next round is 6 hours later
    clock.advance(timedelta(days=1))
    assert await housekeeping.run_once() == Pruned()  # the recent refund is a day old only


async def test_off_keeps_them(db: Database, ctx: ServiceContext, clock: ManualClock) -> None:
    old = await refunded(db, ctx, "A-1001")
    clock.advance(timedelta(days=400))

    assert await Housekeeping(db, clock, KEEP, refund_details_keep=None).run_once() == Pruned()

    assert (await stored(db, old)).iban == COMPACT_IBAN
