"""The managers' alert about an order of a risky or blacklisted customer, and what customers hear."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import N_
from bot.domain.orders import OrderStatus
from bot.domain.risk import Assessment, RiskLevel
from bot.domain.risk_decisions import RiskDecision
from bot.i18n import Translator
from bot.texts.escaping import escape
from bot.texts.manager import order_summary
from bot.texts.risk import rating_headline, reasons_lines
from storage.models import Order

HEADLINE = {
    RiskLevel.blacklisted: N_(
        "⛔ <b>Blacklist warning</b>: a blacklisted customer placed an order."
    ),
    RiskLevel.risky: N_("⚠️ <b>Risky order</b>: this customer often does not pick parcels up."),
}

DECIDED = {
    RiskDecision.approve: N_("✅ Approved by {manager}, {when}."),
    RiskDecision.prepay: N_("💳 Prepayment required by {manager}, {when}."),
    RiskDecision.cancel: N_("❌ Cancelled by {manager}, {when}."),
}

DECIDED_AUTOMATICALLY = {
    RiskDecision.prepay: N_("💳 The customer was asked to prepay (automatic rule)."),
    RiskDecision.cancel: N_("❌ The order was cancelled automatically (automatic rule)."),
}


def state_line(order: Order, t: Translator) -> str:
    """Where the order stands, for the manager deciding about it."""
    decision = RiskDecision(order.risk_decision) if order.risk_decision else None
    if decision is not None:
        when = t.datetime(order.risk_decided_at) if order.risk_decided_at else ""
        if order.risk_decided_by_name is None and decision in DECIDED_AUTOMATICALLY:
            return t.gettext(DECIDED_AUTOMATICALLY[decision])
        return t.gettext(DECIDED[decision]).format(
            manager=escape(order.risk_decided_by_name or ""), when=when
        )
    if order.status == OrderStatus.on_hold:
        return t.gettext(
            "⏸ The order is on hold until you decide; the customer has not been asked."
        )
    if order.status == OrderStatus.new:
        return t.gettext("The customer is asked to confirm as usual.")
    return ""


def alert(
    order: Order,
    assessment: Assessment,
    t: Translator,
    *,
    blacklisted_by: str | None = None,
    blacklisted_at: datetime | None = None,
) -> str:
    level = RiskLevel(order.risk_level or assessment.level)
    lines = [
        t.gettext(HEADLINE.get(level, HEADLINE[RiskLevel.risky])),
        "",
        *order_summary(order, t),
        "",
        rating_headline(t, assessment),
        *reasons_lines(t, assessment),
        "",
    ]
    state = state_line(order, t)
    if state:
        lines.append(state)
    if blacklisted_by is not None:
        lines.append(
            t.gettext("⛔ Customer blacklisted by {manager}, {when}.").format(
                manager=escape(blacklisted_by),
                when=t.datetime(blacklisted_at) if blacklisted_at else "",
            )
        )
    if order.risk_handler_name:
        lines.append(
            t.gettext("🙋 {manager} handles this order.").format(
                manager=escape(order.risk_handler_name)
            )
        )
    return "\n".join(lines).rstrip()


def prepayment_request(order: Order, t: Translator) -> str:
    return t.gettext(
        "💳 To send order <b>{number}</b> we need prepayment of {total}. The shop will send you "
        "the payment details; once it is paid, the order ships as usual."
    ).format(number=escape(order.external_id), total=t.money(order.total, order.currency))


def cancelled_by_shop(order: Order, t: Translator) -> str:
    return t.gettext(
        "Unfortunately, the shop cannot send order <b>{number}</b> with cash on delivery, so it "
        "was cancelled. If you still want it, please contact the shop."
    ).format(number=escape(order.external_id))
