"""Asking the managers to call a customer the chat could not reach."""

from __future__ import annotations

from bot.domain.order_events import OrderEventKind
from bot.domain.orders import EventSource
from bot.domain.shop_events import ShopEvent
from bot.keyboards.manager import call_keyboard
from bot.services.context import ServiceContext
from bot.services.history import record
from bot.services.notifier import Notifier
from bot.texts.manager import EscalationReason, call_alert
from storage.models import Order
from storage.uow import UnitOfWork


async def escalate(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, reason: EscalationReason
) -> None:
    """Ask the managers to call, once per order, and tell the shop the chat did not work."""
    if order.escalated_at is not None:
        return
    order.escalated_at = uow.clock.now()
    notifier = Notifier(uow, ctx)
    t = notifier.managers_translator
    tried = await uow.outreach.of_order(order.id)
    notifier.to_managers(
        call_alert(order, reason, t, tried), markup=call_keyboard(order.id, t), order=order
    )
    notifier.shop_event(order, ShopEvent.order_customer_unreachable, reason=reason.value)
    record(uow, order, OrderEventKind.escalated, source=EventSource.system, reason=reason.value)
