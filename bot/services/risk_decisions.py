"""Managers act on a risky-order alert: approve, require prepayment, cancel, blacklist, take."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from aiogram.types import InlineKeyboardMarkup

from bot.domain.audit import AuditAction
from bot.domain.errors import N_, DomainError, NotFound
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import EventSource, OrderStatus
from bot.domain.risk_decisions import RISK_REASON, RiskDecision
from bot.domain.shop_events import ShopEvent
from bot.i18n import Translator
from bot.services import audit, blacklist, confirmation_timers
from bot.services.context import ServiceContext
from bot.services.history import change_status, record
from bot.services.managers import require_admin
from bot.services.notifier import Notifier
from bot.services.people import MessageRef, TelegramUser
from bot.services.risk_alerts import alert_state, is_risky, render_alert
from bot.texts import risk_alerts
from storage.models import Order
from storage.uow import Database, UnitOfWork


class AlreadyDecided(DomainError):
    message_key = N_("This order was already dealt with; the alert shows how.")
    code = "already_decided"


class AlreadyHandled(DomainError):
    message_key = N_("{manager} already handles this order.")
    code = "already_handled"


async def _alerted_order(uow: UnitOfWork, order_id: int, *, for_update: bool = True) -> Order:
    """The order behind an alert button; a forged id or an order without an alert is not found."""
    order = await uow.orders.get(order_id, for_update=for_update)
    if order is None or not is_risky(order.risk_level):
        raise NotFound()
    return order


async def decide(
    db: Database,
    ctx: ServiceContext,
    order_id: int,
    decision: RiskDecision,
    manager: TelegramUser,
    alert: MessageRef,
) -> Order:
    require_admin(ctx, manager)
    async with db.uow() as uow:
        order = await _alerted_order(uow, order_id)
        if not alert_state(order).may(decision):
            raise AlreadyDecided()
        notifier = Notifier(uow, ctx)
        if decision is RiskDecision.approve:
            await _approve(uow, ctx, order, manager, notifier)
        else:
            await _move(uow, order, manager, notifier, _MOVES[decision])
        order.risk_decision = decision.value
        order.risk_decided_by_name = manager.full_name
        order.risk_decided_at = uow.clock.now()
        await _refresh_alert(uow, ctx, order, alert, notifier)
        await uow.commit()
        return order


async def _approve(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, manager: TelegramUser, notifier: Notifier
) -> None:
    if order.status == OrderStatus.on_hold:
        change_status(uow, order, OrderStatus.new, source=EventSource.manager, actor_id=manager.id)
        await confirmation_timers.send_for_confirmation(uow, ctx, order)
    else:
        record(
            uow,
            order,
            OrderEventKind.risk_approved,
            source=EventSource.manager,
            actor_id=manager.id,
        )
    notifier.shop_event(order, ShopEvent.order_approved)
    audit.log(uow, manager, AuditAction.approve, customer=order.customer, order=order)


@dataclass(frozen=True)
class _Move:
    """What a decision that moves the order does: the status, what the customer is told, the
    shop's event and the audit log's line."""

    status: OrderStatus
    tell: Callable[[Order, Translator], str]
    shop_event: ShopEvent
    action: AuditAction


_MOVES: Final[Mapping[RiskDecision, _Move]] = {
    RiskDecision.prepay: _Move(
        OrderStatus.on_hold,
        risk_alerts.prepayment_request,
        ShopEvent.order_prepayment_required,
        AuditAction.prepay,
    ),
    RiskDecision.cancel: _Move(
        OrderStatus.cancelled,
        risk_alerts.cancelled_by_shop,
        ShopEvent.order_cancelled,
        AuditAction.cancel,
    ),
}


async def _move(
    uow: UnitOfWork, order: Order, manager: TelegramUser, notifier: Notifier, move: _Move
) -> None:
    """The order moves (unless it is there already), the customer is told, the shop hears it and
    the audit log keeps it."""
    if order.status != move.status:
        change_status(
            uow,
            order,
            move.status,
            source=EventSource.manager,
            actor_id=manager.id,
            reason=RISK_REASON,
        )
    await _tell_customer(order, notifier, move.tell)
    notifier.shop_event(order, move.shop_event, reason=RISK_REASON)
    audit.log(uow, manager, move.action, customer=order.customer, order=order)


async def _tell_customer(
    order: Order, notifier: Notifier, render: Callable[[Order, Translator], str]
) -> None:
    """Take the buttons off the card the customer has, and say what happened in a new message."""
    customer = order.customer
    if order.card_queued_at is not None:
        await notifier.card_update(order)
    t = await notifier.translator_for(customer, order)
    await notifier.to_customer(customer, render(order, t), order=order)


async def blacklist_from_alert(
    db: Database, ctx: ServiceContext, order_id: int, manager: TelegramUser, alert: MessageRef
) -> Order:
    require_admin(ctx, manager)
    async with db.uow() as uow:
        order = await _alerted_order(uow, order_id)
        reason = N_("from the alert about order {number}")
        t = Notifier(uow, ctx).managers_translator
        await blacklist.blacklist(
            uow,
            order.customer,
            manager,
            t.gettext(reason).format(number=order.external_id),
            order=order,
        )
        notifier = Notifier(uow, ctx)
        notifier.shop_event(order, ShopEvent.customer_blacklisted)
        await _refresh_alert(uow, ctx, order, alert, notifier)
        await uow.commit()
        return order


async def take(
    db: Database, ctx: ServiceContext, order_id: int, manager: TelegramUser, alert: MessageRef
) -> Order:
    require_admin(ctx, manager)
    async with db.uow() as uow:
        order = await _alerted_order(uow, order_id)
        if order.risk_handler_id is not None:
            if order.risk_handler_id == manager.id:
                return order
            raise AlreadyHandled(manager=order.risk_handler_name or "")
        order.risk_handler_id = manager.id
        order.risk_handler_name = manager.full_name
        audit.log(uow, manager, AuditAction.take, customer=order.customer, order=order)
        await _refresh_alert(uow, ctx, order, alert, Notifier(uow, ctx))
        await uow.commit()
        return order


async def current_alert(
    db: Database, ctx: ServiceContext, order_id: int, manager: TelegramUser
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The alert as it stands (for "No, back" after "Blacklist?")."""
    require_admin(ctx, manager)
    async with db.read() as uow:
        order = await _alerted_order(uow, order_id, for_update=False)
        return await render_alert(uow, ctx, order, Notifier(uow, ctx).managers_translator)


async def _refresh_alert(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, alert: MessageRef, notifier: Notifier
) -> None:
    order.updated_at = uow.clock.now()
    await uow.session.flush()
    text, markup = await render_alert(uow, ctx, order, notifier.managers_translator)
    notifier.edit_managers_message(alert.message_id, text, markup=markup, order=order)
