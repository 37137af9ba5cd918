"""Confirmation timers: a reminder to the customer, then a call for the managers."""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from html import escape

from bot.domain.orders import EventSource, OrderStatus
from bot.keyboards.manager import call_keyboard
from bot.keyboards.orders import confirm_keyboard
from bot.services.context import ServiceContext
from bot.services.history import record
from bot.services.notifier import Notifier
from bot.texts.manager import EscalationReason, call_alert
from storage.models import Order
from storage.uow import Database, UnitOfWork

log = logging.getLogger(__name__)


class TimerKind(StrEnum):
    confirm_reminder = "confirm_reminder"
    confirm_escalation = "confirm_escalation"


async def schedule_confirmation(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> None:
    now = uow.clock.now()
    await uow.timers.schedule(
        kind=TimerKind.confirm_reminder, order_id=order.id, due_at=now + ctx.reminder_after, now=now
    )
    await uow.timers.schedule(
        kind=TimerKind.confirm_escalation,
        order_id=order.id,
        due_at=now + ctx.escalate_after,
        now=now,
    )


async def run_due_timers(db: Database, ctx: ServiceContext, *, limit: int = 200) -> int:
    """Fire every timer that is due; each in its own transaction. Returns how many fired."""
    async with db.uow() as uow:
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
                await _fire(uow, ctx, TimerKind(kind), order_id)
                await uow.commit()
                fired += 1
        except Exception:
            log.exception(
                "timer %s (%s) for order %s failed; it will be retried", timer_id, kind, order_id
            )
    return fired


async def next_due_at(db: Database) -> datetime | None:
    async with db.uow() as uow:
        return await uow.timers.next_due_at()


async def _fire(uow: UnitOfWork, ctx: ServiceContext, kind: TimerKind, order_id: int) -> None:
    order = await uow.orders.get(order_id)
    if order is None or order.status != OrderStatus.new.value:
        return  # confirmed, cancelled or gone: nothing to remind about
    customer = order.customer
    if kind is TimerKind.confirm_reminder:
        if customer.reachable:
            await _remind(uow, ctx, order)
        else:
            reason = (
                EscalationReason.not_linked if not customer.linked else EscalationReason.unreachable
            )
            await escalate(uow, ctx, order, reason)
    elif kind is TimerKind.confirm_escalation:
        await escalate(uow, ctx, order, EscalationReason.no_answer)


async def _remind(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> None:
    notifier = Notifier(uow, ctx)
    t = await notifier.translator_for(order.customer, order)
    text = t.gettext(
        "⏰ Your order <b>{number}</b> is waiting for your confirmation. "
        "Please confirm it so we can ship it today."
    ).format(number=escape(order.external_id))
    await notifier.to_customer(
        order.customer, text, markup=confirm_keyboard(order.id, t), order=order
    )
    record(uow, order, "reminded", source=EventSource.system)


async def escalate(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, reason: EscalationReason
) -> None:
    """Ask the managers to call, once per order, and tell the shop the chat did not work."""
    if order.escalated_at is not None:
        return
    order.escalated_at = uow.clock.now()
    notifier = Notifier(uow, ctx)
    t = notifier.managers_translator
    notifier.to_managers(
        call_alert(order, reason, t), markup=call_keyboard(order.id, t), order=order
    )
    notifier.shop_event(order, "order.customer_unreachable", reason=reason.value)
    record(uow, order, "escalated", source=EventSource.system, reason=reason.value)
