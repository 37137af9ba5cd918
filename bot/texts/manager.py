"""Alerts in the managers' chat."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Final

from bot.domain.errors import N_
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import CancelReason
from bot.domain.outreach import SkipReason
from bot.i18n import Translator
from bot.texts import labels
from bot.texts.escaping import escape
from bot.texts.orders import customer_line, delivery_line, items_lines
from bot.texts.outreach import attempt_lines
from storage.models import Order, OrderEvent, OutreachMessage, Shipment


class EscalationReason(StrEnum):
    no_answer = "no_answer"
    not_linked = "not_linked"
    unreachable = "blocked"


CALL_HEADLINE = {
    EscalationReason.no_answer: N_(
        "📞 <b>Call this customer</b>: the order is still not confirmed."
    ),
    EscalationReason.not_linked: N_(
        "📞 <b>Call this customer</b>: they have not opened the bot, so we cannot write to them."
    ),
    EscalationReason.unreachable: N_(
        "📞 <b>Call this customer</b>: they blocked the bot, so we cannot write to them."
    ),
}

ESCALATION_NOTE = {
    EscalationReason.no_answer: N_("no answer in the chat"),
    EscalationReason.not_linked: N_("has not opened the bot"),
    EscalationReason.unreachable: N_("blocked the bot"),
}

OTHER_EVENT = N_("other event")
_ESCALATION_VALUES = frozenset(reason.value for reason in EscalationReason)
_CANCEL_VALUES = frozenset(reason.value for reason in CancelReason)

# Looked up by the stored kind, a plain string.
EVENT_KIND: Final[Mapping[str, str]] = {
    OrderEventKind.created: N_("order received from the shop"),
    OrderEventKind.linked: N_("customer opened the bot"),
    OrderEventKind.reminded: N_("reminder sent"),
    OrderEventKind.escalated: N_("managers asked to call"),
    OrderEventKind.call_taken: N_("a manager took the call"),
    OrderEventKind.change_requested: N_("customer asked for a change"),
    OrderEventKind.point_changed: N_("customer chose another pickup point"),
    OrderEventKind.storage_extended: N_("free storage extended by the carrier"),
}


def order_summary(order: Order, t: Translator) -> list[str]:
    return [
        t.gettext("Order <b>{number}</b>, {total}, {payment}").format(
            number=escape(order.external_id),
            total=t.money(order.total, order.currency),
            payment=labels.payment(t, order.payment),
        ),
        customer_line(order, t),
        *items_lines(order, t),
        delivery_line(order, t),
    ]


def call_alert(
    order: Order,
    reason: EscalationReason,
    t: Translator,
    tried: Sequence[OutreachMessage] = (),
) -> str:
    """``tried``: the Viber/SMS messages of the order, each said with what became of it."""
    lines = [
        t.gettext(CALL_HEADLINE[reason]),
        "",
        *order_summary(order, t),
    ]
    if tried:
        lines += ["", *attempt_lines(tried, t)]
    said_stop = any(message.skip_reason == SkipReason.stopped for message in tried)
    if order.customer.outreach_stopped_at is not None and not said_stop:
        lines += ["", t.gettext("🔕 The customer asked not to get Viber or SMS messages.")]
    if order.call_taken_by_name:
        lines += ["", call_taken_line(order, t)]
    return "\n".join(lines)


def call_taken_line(order: Order, t: Translator) -> str:
    return t.gettext("☎️ {manager} is calling.").format(
        manager=escape(order.call_taken_by_name or "")
    )


def change_request(order: Order, text: str, t: Translator) -> str:
    return "\n".join(
        [
            t.gettext("✏️ <b>The customer asks to change the order</b>:"),
            f"<blockquote>{escape(text)}</blockquote>",
            "",
            *order_summary(order, t),
            "",
            t.gettext("The order stays unconfirmed until you update it."),
        ]
    )


def history(order: Order, events: list[OrderEvent], t: Translator) -> str:
    lines = [
        *order_summary(order, t),
        t.gettext("Status: {status}").format(status=labels.status(t, order.status)),
        "",
        t.gettext("<b>History</b>"),
    ]
    lines += [f"{t.datetime(event.occurred_at)} — {event_line(event, t)}" for event in events]
    return "\n".join(lines)


def event_line(event: OrderEvent, t: Translator) -> str:
    """One line of an order's history, with its reason or comment in brackets."""
    if event.to_status and event.kind in (OrderEventKind.status, OrderEventKind.created):
        what = labels.status(t, event.to_status)
    else:
        what = t.gettext(EVENT_KIND.get(event.kind, OTHER_EVENT))
    note = event.comment
    if note is None and event.reason:
        if event.kind == OrderEventKind.escalated and event.reason in _ESCALATION_VALUES:
            note = t.gettext(ESCALATION_NOTE[EscalationReason(event.reason)])
        elif event.reason in _CANCEL_VALUES:
            note = labels.cancel_reason(t, event.reason)
    return f"{what} ({escape(note)})" if note else what


def parcel_waiting_alert(order: Order, shipment: Shipment, today: date, t: Translator) -> str:
    """A parcel waits at a branch and its customer cannot be reached in the chat."""
    lines = [
        t.gettext(
            "📦 <b>Call this customer</b>: their parcel waits at the branch, but the chat cannot reach them."
        ),
        "",
        customer_line(order, t),
        t.gettext("Order <b>{number}</b>, waybill <code>{tracking}</code>").format(
            number=escape(order.external_id), tracking=escape(shipment.tracking_number)
        ),
    ]
    if shipment.paid_storage_from is not None:
        days = (shipment.paid_storage_from - today).days
        lines.append(
            t.ngettext(
                "Free storage ends in {days} day.",
                "Free storage ends in {days} days.",
                max(days, 0),
            ).format(days=max(days, 0))
        )
    return "\n".join(lines)
