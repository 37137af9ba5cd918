"""A message that did not reach the customer (or could not go): a manager takes over."""

from __future__ import annotations

from bot.domain.orders import OrderStatus
from bot.domain.outreach import OutreachPurpose
from bot.services.context import ServiceContext
from bot.services.escalation import escalate
from bot.services.tracking_notices import alert_if_waiting
from bot.texts.manager import EscalationReason
from storage.models import Order, OutreachMessage
from storage.uow import UnitOfWork


async def on_missed(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, message: OutreachMessage
) -> None:
    """Ask the managers to call about an unconfirmed order, or about a waiting parcel; once."""
    if message.purpose == OutreachPurpose.confirm:
        if order.status == OrderStatus.new:
            reason = (
                EscalationReason.not_linked
                if not order.customer.linked
                else EscalationReason.unreachable
            )
            await escalate(uow, ctx, order, reason)
    else:
        await alert_if_waiting(uow, ctx, order)
