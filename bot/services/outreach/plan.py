"""When outreach is due: a timer per order and purpose, so a restart neither loses nor repeats it."""

from __future__ import annotations

from datetime import datetime

from bot.domain.outreach import OutreachPurpose
from bot.services.context import ServiceContext
from storage.models import Customer, Order
from storage.uow import UnitOfWork

OUTREACH = "outreach"  # the timers' feature: ``outreach:<purpose>``


def timer_kind(purpose: OutreachPurpose) -> str:
    return f"{OUTREACH}:{purpose.value}"


def reaches(ctx: ServiceContext, customer: Customer) -> bool:
    """Whether outreach would try this customer: it is on, Telegram cannot carry the message,
    and the customer has not said stop (or been erased)."""
    return (
        ctx.outreach is not None
        and not customer.reachable
        and customer.outreach_stopped_at is None
        and customer.erased_at is None
    )


async def plan_confirmation(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> bool:
    """A new order whose customer is outside Telegram: ask by Viber/SMS after OUTREACH_AFTER.

    True if planned (the reminder in the chat then has nothing to do: this is the reminder)."""
    if ctx.outreach is None or not reaches(ctx, order.customer):
        return False
    now = uow.clock.now()
    await uow.timers.schedule(
        kind=timer_kind(OutreachPurpose.confirm),
        order_id=order.id,
        due_at=now + ctx.outreach.after,
        now=now,
    )
    return True


async def plan_notice(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: Order,
    purpose: OutreachPurpose,
    at: datetime | None = None,
) -> bool:
    """Tracking news for a customer outside Telegram (OUTREACH_NOTICES); True if planned."""
    if ctx.outreach is None or purpose not in ctx.outreach.notices:
        return False
    if not reaches(ctx, order.customer):
        return False
    now = uow.clock.now()
    await uow.timers.schedule(
        kind=timer_kind(purpose), order_id=order.id, due_at=at or now, now=now
    )
    return True
