"""What managers do in their chat: take a call, look an order up."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.errors import N_, DomainError, NotAllowed, NotFound
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import EventSource
from bot.services.context import ServiceContext
from bot.services.history import record
from bot.services.notifier import Notifier
from bot.services.people import MessageRef, TelegramUser
from bot.texts.manager import EscalationReason, call_alert, history
from storage.models import Order, OrderEvent
from storage.uow import Database


class AlreadyTaken(DomainError):
    message_key = N_("{manager} is already calling this customer.")
    code = "already_taken"


def require_admin(ctx: ServiceContext, user: TelegramUser) -> None:
    if not ctx.is_admin(user.id):
        raise NotAllowed()


async def take_call(
    db: Database, ctx: ServiceContext, order_id: int, manager: TelegramUser, alert: MessageRef
) -> Order:
    require_admin(ctx, manager)
    async with db.uow() as uow:
        order = await uow.orders.get(order_id, for_update=True)
        if order is None:
            raise NotFound()
        if order.call_taken_by is not None:
            if order.call_taken_by == manager.id:
                return order
            raise AlreadyTaken(manager=order.call_taken_by_name or "")
        now = uow.clock.now()
        order.call_taken_by = manager.id
        order.call_taken_by_name = manager.full_name
        order.updated_at = now
        record(
            uow,
            order,
            OrderEventKind.call_taken,
            source=EventSource.manager,
            actor_id=manager.id,
            comment=manager.full_name,
        )
        notifier = Notifier(uow, ctx)
        t = notifier.managers_translator
        reason = _last_escalation_reason(await uow.orders.events_of(order.id))
        tried = await uow.outreach.of_order(order.id)
        notifier.edit_managers_message(
            alert.message_id, call_alert(order, reason, t, tried), order=order
        )
        await uow.commit()
        return order


def _last_escalation_reason(events: Sequence[OrderEvent]) -> EscalationReason:
    for event in reversed(events):
        if event.kind == OrderEventKind.escalated and event.reason:
            return EscalationReason(event.reason)
    return EscalationReason.no_answer


async def order_report(
    db: Database, ctx: ServiceContext, external_id: str, user: TelegramUser
) -> str:
    """The order card with its history, for /order in the managers' chat."""
    require_admin(ctx, user)
    async with db.uow() as uow:  # one transaction: the card and its history must agree
        order = await uow.orders.by_external_id(external_id)
        if order is None:
            raise NotFound()
        events = list(await uow.orders.events_of(order.id))
        return history(order, events, ctx.catalogs(ctx.managers_language))
