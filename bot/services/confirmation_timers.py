"""Confirmation timers: a reminder to the customer, then a call for the managers."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.order_events import OrderEventKind
from bot.domain.orders import EventSource, OrderStatus
from bot.keyboards.orders import confirm_keyboard
from bot.services.context import ServiceContext
from bot.services.escalation import escalate
from bot.services.history import record
from bot.services.notifier import Notifier
from bot.services.outreach.plan import plan_confirmation, reaches
from bot.texts.escaping import escape
from bot.texts.manager import EscalationReason
from storage.models import Order
from storage.uow import UnitOfWork


class TimerKind(StrEnum):
    confirm_reminder = "confirm_reminder"
    confirm_escalation = "confirm_escalation"


async def schedule_confirmation(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> None:
    now = uow.clock.now()
    await uow.timers.schedule_all(
        order_id=order.id,
        due={
            TimerKind.confirm_reminder: now + ctx.reminder_after,
            TimerKind.confirm_escalation: now + ctx.escalate_after,
        },
        now=now,
    )
    await plan_confirmation(uow, ctx, order)  # a customer outside Telegram: Viber/SMS


async def send_for_confirmation(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> None:
    """Ask the customer to confirm now: a fresh card with the buttons, then the usual timers.

    A fresh card rather than an edit: an order released from hold may have an old card far up
    the chat (the prepayment notice), which the customer would never scroll back to.
    """
    order.card_queued_at = None
    await schedule_confirmation(uow, ctx, order)
    await Notifier(uow, ctx).order_card(order)


async def fire(uow: UnitOfWork, ctx: ServiceContext, kind: str, order_id: int) -> None:
    order = await uow.orders.get(order_id)
    if order is None or order.status != OrderStatus.new:
        return  # confirmed, cancelled or gone: nothing to remind about
    customer = order.customer
    if kind == TimerKind.confirm_reminder:
        if customer.reachable:
            await _remind(uow, ctx, order)
        elif reaches(ctx, customer):
            return  # the Viber/SMS message is the reminder; a miss or the escalation calls
        else:
            reason = (
                EscalationReason.not_linked if not customer.linked else EscalationReason.unreachable
            )
            await escalate(uow, ctx, order, reason)
    elif kind == TimerKind.confirm_escalation:
        await escalate(uow, ctx, order, EscalationReason.no_answer)


async def _remind(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> None:
    notifier = Notifier(uow, ctx)
    t = await notifier.translator_for(order.customer, order)
    text = t.gettext(
        "⏰ Your order <b>{number}</b> is waiting for your confirmation. "
        "Please confirm it so we can ship it today."
    ).format(number=escape(order.external_id))
    await notifier.to_customer(
        order.customer,
        text,
        markup=confirm_keyboard(order.id, t, change_point=ctx.can_change_point(order.carrier)),
        order=order,
    )
    record(uow, order, OrderEventKind.reminded, source=EventSource.system)
