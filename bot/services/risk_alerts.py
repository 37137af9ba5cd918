"""A new order of a risky or blacklisted customer: apply the policy, alert the managers."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.domain.orders import EventSource, OrderStatus, Payment
from bot.domain.risk import ManualState, RiskLevel, RiskPolicy
from bot.domain.risk_decisions import RISK_REASON, AlertState, RiskDecision
from bot.domain.shop_events import ShopEvent
from bot.i18n import Translator
from bot.keyboards.risk import alert_keyboard
from bot.services import confirmation_timers
from bot.services.context import ServiceContext
from bot.services.history import change_status
from bot.services.notifier import Notifier
from bot.services.risk import rate
from bot.texts import risk_alerts
from bot.views.customers import RatedCustomer
from storage.models import Order
from storage.repositories.risk import RiskFacts
from storage.uow import UnitOfWork


def alert_state(order: Order) -> AlertState:
    return AlertState(
        status=OrderStatus(order.status),
        decision=RiskDecision(order.risk_decision) if order.risk_decision else None,
        customer_blacklisted_by_hand=order.customer.blacklist_state == ManualState.blacklisted,
        handled=order.risk_handler_id is not None,
    )


async def render_alert(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: Order,
    t: Translator,
    rated: RatedCustomer | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The alert as it should look now: the rating (``rated``, or read afresh), the decision,
    who handles it."""
    if rated is None:
        rated = await rate(uow, ctx, order.customer)
    customer = order.customer
    by_hand = customer.blacklist_state == ManualState.blacklisted
    text = risk_alerts.alert(
        order,
        rated.assessment,
        t,
        blacklisted_by=customer.blacklist_changed_by_name if by_hand else None,
        blacklisted_at=customer.blacklist_changed_at if by_hand else None,
    )
    return text, alert_keyboard(order.id, alert_state(order), t)


async def screen_new_order(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, *, new_customer: bool = False
) -> RatedCustomer:
    """Rate the customer of a just-stored order and do what the level's policy says.

    The order is still ``new`` and nothing has been sent. Prepaid orders carry the rating but no
    policy: the money is already in, so nothing is at stake. ``new_customer``: the customer was
    stored with this order, so their (empty) history need not be read.
    """
    facts = RiskFacts.of_first_order() if new_customer else None
    rated = await rate(uow, ctx, order.customer, facts)
    order.risk_level = rated.assessment.level.value
    order.risk_score = rated.assessment.score
    policy = ctx.risk_policies.for_level(rated.assessment.level)
    if policy is None or order.payment != Payment.cod:
        await confirmation_timers.send_for_confirmation(uow, ctx, order)
        return rated

    notifier = Notifier(uow, ctx)
    now = uow.clock.now()
    if policy is RiskPolicy.alert:
        await confirmation_timers.send_for_confirmation(uow, ctx, order)
    elif policy is RiskPolicy.hold:
        change_status(
            uow, order, OrderStatus.on_hold, source=EventSource.system, reason=RISK_REASON
        )
        notifier.shop_event(order, ShopEvent.order_on_hold, reason=RISK_REASON)
    elif policy is RiskPolicy.prepay:
        change_status(
            uow, order, OrderStatus.on_hold, source=EventSource.system, reason=RISK_REASON
        )
        order.risk_decision, order.risk_decided_at = RiskDecision.prepay.value, now
        await notifier.order_card(order)
        notifier.shop_event(order, ShopEvent.order_prepayment_required, reason=RISK_REASON)
    else:
        change_status(
            uow, order, OrderStatus.cancelled, source=EventSource.system, reason=RISK_REASON
        )
        order.risk_decision, order.risk_decided_at = RiskDecision.cancel.value, now
        await notifier.order_card(order)
        notifier.shop_event(order, ShopEvent.order_cancelled, reason=RISK_REASON)

    # The rating that decided the policy, not read a second time.
    text, markup = await render_alert(uow, ctx, order, notifier.managers_translator, rated)
    notifier.to_managers(text, markup=markup, order=order)
    return rated


def is_risky(level: str | None) -> bool:
    return level is not None and RiskLevel(level) is not RiskLevel.ok
