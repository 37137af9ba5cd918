"""Telegram said a customer blocked the bot (or never started it): managers must call instead."""

from __future__ import annotations

from bot.domain.orders import OrderStatus
from bot.services.context import ServiceContext
from bot.services.escalation import escalate
from bot.services.outreach.plan import plan_confirmation
from bot.services.tracking_notices import alert_if_waiting
from bot.texts.manager import EscalationReason
from storage.uow import Database


async def mark_unreachable(db: Database, ctx: ServiceContext, chat_id: int) -> int:
    """Mark every customer of this chat unreachable; escalate open orders and waiting parcels.

    Returns how many orders were escalated. Safe to call more than once.
    """
    escalated = 0
    async with db.uow() as uow:
        now = uow.clock.now()
        for customer in await uow.customers.by_telegram_id(chat_id):
            if customer.unreachable_at is None:
                customer.unreachable_at = now
                customer.updated_at = now
            for order in await uow.orders.of_customer(
                customer.id, status=OrderStatus.arrived.value
            ):
                await alert_if_waiting(uow, ctx, order)
            for order in await uow.orders.of_customer(customer.id, status=OrderStatus.new.value):
                if order.card_message_id is None:
                    order.card_queued_at = None  # never arrived: send it again once they return
                if order.escalated_at is None and not await plan_confirmation(uow, ctx, order):
                    await escalate(uow, ctx, order, EscalationReason.unreachable)
                    escalated += 1
        await uow.commit()
    return escalated
