"""What the managers read about returns beyond the request itself: the card's progress and
history, the questions the desk asks them, relays, overdue reminders and /returns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from babel.dates import format_timedelta

from bot.domain.errors import N_
from bot.domain.orders import EventSource
from bot.domain.return_desk import DeskStep
from bot.domain.returns import ReturnStatus, return_number
from bot.domain.shipments import ShipmentStatus
from bot.i18n import BABEL_LOCALES, Translator
from bot.texts import labels
from bot.texts.digest import MAX_TEXT, text_length
from bot.texts.escaping import escape
from bot.texts.risk import quoted
from storage.models import Return, ReturnEvent

MAX_HISTORY = 8  # lines of history on the card
MAX_LISTED = 30  # returns in /returns

# Where a return is, as the managers say it.
DESK_STATUS = {
    ReturnStatus.requested: N_("waiting for a decision"),
    ReturnStatus.info_requested: N_("waiting for the customer's answer"),
    ReturnStatus.approved: N_("approved, waiting for the waybill"),
    ReturnStatus.shipped: N_("the parcel is on its way"),
    ReturnStatus.received: N_("the parcel arrived, waiting for inspection"),
    ReturnStatus.accepted: N_("inspected OK, waiting for the refund"),
    ReturnStatus.refunded: N_("refunded"),
    ReturnStatus.rejected: N_("rejected"),
    ReturnStatus.cancelled: N_("cancelled"),
}

# What a move did, in the card's history.
MOVE = {
    ReturnStatus.requested: N_("request submitted"),
    ReturnStatus.info_requested: N_("asked the customer"),
    ReturnStatus.approved: N_("approved"),
    ReturnStatus.shipped: N_("waybill given"),
    ReturnStatus.received: N_("the parcel arrived"),
    ReturnStatus.accepted: N_("inspected: OK"),
    ReturnStatus.refunded: N_("refund sent"),
    ReturnStatus.rejected: N_("rejected"),
    ReturnStatus.cancelled: N_("cancelled"),
}
ANSWERED = N_("the customer answered")

SOURCE = {
    EventSource.shop: N_("the shop"),
    EventSource.customer: N_("the customer"),
    EventSource.system: N_("the carrier"),
}

PARCEL = {
    ShipmentStatus.created: N_("not handed to the carrier yet"),
    ShipmentStatus.in_transit: N_("on the way"),
    ShipmentStatus.delivery_failed: N_("delivery failed"),
    ShipmentStatus.arrived: N_("waiting at the branch"),
    ShipmentStatus.storage_ended: N_("free storage is over"),
    ShipmentStatus.refused: N_("refused"),
    ShipmentStatus.received: N_("received"),
    ShipmentStatus.returning: N_("going back to the sender"),
    ShipmentStatus.returned: N_("back with the sender"),
}

PROMPT = {
    DeskStep.reject: N_(
        "{manager}, why is return <b>{number}</b> rejected? The customer will read your answer."
    ),
    DeskStep.inspected_bad: N_(
        "{manager}, what is wrong with the items of return <b>{number}</b>? The customer will "
        "read your answer."
    ),
    DeskStep.ask: N_(
        "{manager}, what should we ask the customer about return <b>{number}</b>? The customer "
        "will read your question, and their answer will come here."
    ),
    DeskStep.refunded: N_(
        "{manager}, how much was refunded for return <b>{number}</b>? The returned items cost "
        "{cost}. Write the amount, for example 450 or 450.50."
    ),
}
# Under every question, on a line of its own: with privacy mode on, nothing else reaches the bot.
REPLY_HINT = N_(
    "↩️ <b>Reply to this message</b>: in this group the bot sees only replies to its own messages."
)
PLACEHOLDER = {
    DeskStep.reject: N_("Reason"),
    DeskStep.inspected_bad: N_("Reason"),
    DeskStep.ask: N_("Question"),
    DeskStep.refunded: N_("Amount"),
}

# The answer to a button press (a short toast).
PRESSED = {
    DeskStep.approve: N_("Approved: the customer is asked for the waybill."),
    DeskStep.arrived: N_("Marked as arrived: the customer is told."),
    DeskStep.inspected_ok: N_("Inspected OK: send the refund, then press “Refund sent”."),
}

# The prompt, once answered, says what became of it.
DONE = {
    DeskStep.reject: N_("✅ Return {number} is rejected; the customer is told why."),
    DeskStep.inspected_bad: N_("✅ Return {number} is rejected; the customer is told why."),
    DeskStep.ask: N_("✅ The question about return {number} is sent to the customer."),
    DeskStep.refunded: N_("✅ Refund of {amount} for return {number} is recorded."),
}

BAD_AMOUNT = N_(
    "Please write the amount as a number, for example 450 or 450.50, in a reply to the question."
)


def duration(t: Translator, delta: timedelta) -> str:
    return format_timedelta(delta, locale=BABEL_LOCALES[t.language])


def desk_status(t: Translator, value: str) -> str:
    return t.gettext(DESK_STATUS[ReturnStatus(value)])


def parcel_status(t: Translator, value: str | None) -> str:
    if value is None:
        return t.gettext("no news from the carrier yet")
    return t.gettext(PARCEL[ShipmentStatus(value)])


def mention(user_id: int, name: str) -> str:
    return f'<a href="tg://user?id={user_id}">{escape(name)}</a>'


def prompt(t: Translator, step: DeskStep, return_: Return, manager: str, cost: str = "") -> str:
    question = t.gettext(PROMPT[step]).format(
        manager=manager, number=return_number(return_.id), cost=cost
    )
    return f"{question}\n\n{t.gettext(REPLY_HINT)}"


def placeholder(t: Translator, step: DeskStep) -> str:
    return t.gettext(PLACEHOLDER[step])


def done(t: Translator, step: DeskStep, return_: Return, amount: str = "") -> str:
    return t.gettext(DONE[step]).format(number=return_number(return_.id), amount=amount)


# --- the card ---------------------------------------------------------------------------------


def progress_lines(t: Translator, return_: Return) -> list[str]:
    """The parcel back and the refund, once there are any."""
    lines: list[str] = []
    if return_.waybill:
        carrier = labels.carrier(t, return_.carrier) if return_.carrier else ""
        lines.append(
            t.gettext("📮 Return parcel: <code>{waybill}</code> ({carrier}), {parcel}").format(
                waybill=escape(return_.waybill),
                carrier=escape(carrier),
                parcel=parcel_status(t, return_.parcel_status),
            )
        )
    if return_.refund_amount is not None:
        lines.append(
            t.gettext("💸 Refunded: <b>{amount}</b>").format(
                amount=t.money(return_.refund_amount, return_.order.currency)
            )
        )
    return lines


def event_line(t: Translator, event: ReturnEvent) -> str:
    target = ReturnStatus(event.to_status)
    if target is ReturnStatus.requested and event.from_status == ReturnStatus.info_requested:
        what = t.gettext(ANSWERED)
    else:
        what = t.gettext(MOVE[target])
    source = EventSource(event.source)
    who = event.actor_name if source is EventSource.manager else None
    if who is None:
        who = t.gettext(SOURCE[source]) if source in SOURCE else event.actor_name or ""
    line = f"• {t.datetime(event.occurred_at)} · {what} · {escape(who)}"
    if event.comment:
        line += f": {quoted(event.comment)}"
    return line


def history_lines(t: Translator, events: Sequence[ReturnEvent], limit: int) -> list[str]:
    if not events or limit <= 0:
        return []
    shown = list(events)[-limit:]
    return ["", t.gettext("<b>History</b>"), *(event_line(t, event) for event in shown)]


def card(t: Translator, request_text: str, return_: Return, events: Sequence[ReturnEvent]) -> str:
    """The request as submitted, then how it went; the oldest history gives way to the limit."""
    limit = MAX_HISTORY
    while True:
        lines = [request_text, *progress_lines(t, return_), *history_lines(t, events, limit)]
        text = "\n".join(lines)
        if text_length(text) <= MAX_TEXT or limit <= 0:
            return text
        limit -= 1


# --- messages in the managers' chat -------------------------------------------------------------


def answer_relayed(t: Translator, return_: Return, answer: str) -> str:
    return "\n".join(
        [
            t.gettext(
                "💬 <b>{name}</b> answered about return <b>{number}</b> (order {order}):"
            ).format(
                name=escape(return_.order.recipient_name),
                number=return_number(return_.id),
                order=escape(return_.order.external_id),
            ),
            "",
            escape(answer),
        ]
    )


def parcel_arrived(t: Translator, return_: Return, point: str | None) -> str:
    text = t.gettext(
        "📦 The return parcel <b>{number}</b> (<code>{waybill}</code>) has arrived. "
        "Inspect it and mark the result on the card."
    ).format(number=return_number(return_.id), waybill=escape(return_.waybill or ""))
    if point:
        text += "\n" + t.gettext("Where: {point}").format(point=escape(point))
    return text


def overdue(t: Translator, return_: Return, waited: timedelta) -> str:
    return t.gettext(
        "⏰ Return <b>{number}</b> has waited for a manager for {duration}: {status}. "
        "Order {order}, {name}."
    ).format(
        number=return_number(return_.id),
        duration=duration(t, waited),
        status=desk_status(t, return_.status),
        order=escape(return_.order.external_id),
        name=escape(return_.order.recipient_name),
    )


def open_list(
    t: Translator, returns: Sequence[Return], total: int, now: datetime, sla: timedelta
) -> str:
    """/returns: the open returns, oldest first, those overdue for a manager marked ⏰."""
    if not returns:
        return t.gettext("↩️ No open returns.")
    lines = [t.gettext("↩️ <b>Open returns</b>: {count}, oldest first").format(count=total), ""]
    shown = 0
    for return_ in returns[:MAX_LISTED]:
        line = t.gettext("• <b>{number}</b> · {order} · {name} · {status} · {age}").format(
            number=return_number(return_.id),
            order=escape(return_.order.external_id),
            name=escape(return_.order.recipient_name),
            status=desk_status(t, return_.status),
            age=duration(t, now - return_.created_at),
        )
        if return_.waiting_since is not None and now - return_.waiting_since > sla:
            line += " ⏰"
        if text_length("\n".join([*lines, line])) > MAX_TEXT - 100:
            break
        lines.append(line)
        shown += 1
    if total > shown:
        lines.append(
            t.ngettext("… and {count} more", "… and {count} more", total - shown).format(
                count=total - shown
            )
        )
    return "\n".join(lines)


def refund_cost(t: Translator, return_: Return) -> str:
    """What the returned items cost, to suggest as the refund."""
    cost = sum((line.order_item.price * line.quantity for line in return_.items), start=Decimal(0))
    return t.money(cost, return_.order.currency)
