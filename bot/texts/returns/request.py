"""What customers and managers read about returns."""

from __future__ import annotations

from bot.domain.categories import Category
from bot.domain.errors import N_
from bot.domain.returns import Resolution, ReturnReason, ReturnStatus, mask_iban, return_number
from bot.domain.risk import Assessment
from bot.i18n import Translator
from bot.texts.escaping import escape
from bot.texts.returns.desk import DESK_STATUS
from bot.texts.risk import short_summary
from bot.texts.templates import TemplateKey, Templates
from bot.texts.templates.return_builtin import PACKING as BUILTIN_PACKING
from storage.models import Return

REASON = {
    ReturnReason.wrong_size: N_("Wrong size"),
    ReturnReason.defective: N_("Defective"),
    ReturnReason.damaged: N_("Damaged in transit"),
    ReturnReason.not_as_described: N_("Not as described"),
    ReturnReason.wrong_item: N_("Wrong item sent"),
    ReturnReason.changed_mind: N_("Changed my mind"),
    ReturnReason.other: N_("Other reason"),
}

RESOLUTION = {
    Resolution.refund_original: N_("Refund to the card I paid with"),
    Resolution.refund_iban: N_("Refund to a bank account (IBAN)"),
    Resolution.store_credit: N_("Store credit"),
    Resolution.exchange: N_("Exchange"),
}

STATUS = {
    ReturnStatus.requested: N_("waiting for a manager"),
    ReturnStatus.info_requested: N_("waiting for your answer"),
    ReturnStatus.approved: N_("approved: waiting for the parcel"),
    ReturnStatus.shipped: N_("on its way back"),
    ReturnStatus.received: N_("received by the shop, being inspected"),
    ReturnStatus.accepted: N_("accepted: the refund is on its way"),
    ReturnStatus.refunded: N_("refunded"),
    ReturnStatus.rejected: N_("rejected"),
    ReturnStatus.cancelled: N_("cancelled"),
}

# The built-in packing texts live with the templates that can replace them.
PACKING = BUILTIN_PACKING


def reason(t: Translator, value: str) -> str:
    return t.gettext(REASON[ReturnReason(value)])


def resolution(t: Translator, value: str) -> str:
    return t.gettext(RESOLUTION[Resolution(value)])


def status(t: Translator, value: str) -> str:
    return t.gettext(STATUS[ReturnStatus(value)])


def template_values(t: Translator, return_: Return, address: str | None) -> dict[str, str]:
    """The return templates' placeholders, as plain text (the templates escape them)."""
    order = return_.order
    return {
        "number": order.external_id,
        "customer_name": order.recipient_name,
        "total": t.money(order.total, order.currency),
        "return_number": return_number(return_.id),
        "address": address or "",
    }


def packing(
    t: Translator,
    return_: Return,
    templates: Templates | None = None,
    category: Category | None = None,
) -> str:
    """How to pack it for its reason: the shop's text (TEMPLATES_FILE), else the built-in one."""
    values = template_values(t, return_, None)
    key = TemplateKey.packing(ReturnReason(return_.reason))
    return (templates or Templates()).render(key, t.language, category, values, t)


def where_to_send(
    t: Translator,
    return_: Return,
    address: str | None,
    templates: Templates | None = None,
    category: Category | None = None,
) -> str:
    """RETURN_ADDRESS, or the shop's ``return_address`` text, or "the manager will tell you"."""
    values = template_values(t, return_, address)
    return (templates or Templates()).render(
        TemplateKey.return_address, t.language, category, values, t
    )


def items_lines(return_: Return) -> list[str]:
    return [f"• {escape(line.order_item.name)} × {line.quantity}" for line in return_.items]


def reason_line(t: Translator, return_: Return) -> str:
    text = reason(t, return_.reason)
    if return_.reason_text:
        text = f"{text}: {escape(return_.reason_text)}"
    return t.gettext("Reason: {reason}").format(reason=text)


def resolution_line(t: Translator, return_: Return, *, full_iban: bool) -> str:
    wanted = resolution(t, return_.resolution)
    if return_.iban:
        shown = return_.iban if full_iban else mask_iban(return_.iban)
        wanted = f"{wanted}: <code>{escape(shown)}</code>, {escape(return_.account_holder or '')}"
    elif return_.exchange_wish:
        wanted = f"{wanted}: {escape(return_.exchange_wish)}"
    return t.gettext("Wanted: {resolution}").format(resolution=wanted)


def submitted(
    t: Translator,
    return_: Return,
    address: str | None,
    templates: Templates | None = None,
    category: Category | None = None,
) -> str:
    """To the customer, right after submitting: the number, how to pack, where to send.

    The packing and address parts come from ``templates`` (TEMPLATES_FILE) when it has them.
    """
    number = return_number(return_.id)
    lines = [
        t.gettext(
            "✅ Return request <b>{number}</b> for order <b>{order}</b> is registered."
        ).format(number=number, order=escape(return_.order.external_id)),
        t.gettext("A manager will review it soon; we will write to you here."),
        "",
        t.gettext("<b>How to pack it</b>"),
        packing(t, return_, templates, category),
        t.gettext("Write the return number {number} on the parcel or on a note inside.").format(
            number=number
        ),
        "",
        t.gettext("<b>Where to send it</b>, once the return is approved"),
        where_to_send(t, return_, address, templates, category),
    ]
    return "\n".join(lines)


def manager_card(t: Translator, return_: Return, assessment: Assessment | None) -> str:
    """The request as the managers see it: everything needed to decide, the IBAN in full."""
    customer = return_.customer
    lines = [
        t.gettext("↩️ <b>Return {number}</b>: {status}").format(
            number=return_number(return_.id),
            status=t.gettext(DESK_STATUS[ReturnStatus(return_.status)]),
        ),
        t.gettext("Order <b>{order}</b>, {name}, {phone}").format(
            order=escape(return_.order.external_id),
            name=escape(return_.order.recipient_name),
            phone=escape(customer.phone),
        ),
        *items_lines(return_),
        reason_line(t, return_),
    ]
    if return_.comment:
        lines.append(t.gettext("Comment: {comment}").format(comment=escape(return_.comment)))
    lines.append(resolution_line(t, return_, full_iban=True))
    if return_.photos:
        lines.append(
            t.ngettext("{count} photo above", "{count} photos above", len(return_.photos)).format(
                count=len(return_.photos)
            )
        )
    if assessment is not None:
        lines.append(t.gettext("Customer: {summary}").format(summary=short_summary(t, assessment)))
    if return_.manager_note:
        lines.append(t.gettext("Note: {note}").format(note=escape(return_.manager_note)))
    return "\n".join(lines)
