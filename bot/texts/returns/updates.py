"""What the customer reads as their return moves on, in their own language."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.errors import N_
from bot.domain.orders import Carrier
from bot.domain.returns import Resolution, mask_iban, return_number
from bot.i18n import Translator
from bot.texts.escaping import escape
from storage.models import Return

WAYBILL_HINT = {
    Carrier.nova_poshta: N_(
        "A Nova Poshta waybill number has 14 digits, for example 20450000000000."
    ),
    Carrier.ukrposhta: N_(
        "An Ukrposhta tracking number has 13 digits or looks like RB123456789UA."
    ),
    Carrier.meest: N_("A Meest tracking number has 8 to 20 Latin letters and digits."),
}
ANY_WAYBILL_HINT = N_("Send the tracking number exactly as the carrier wrote it.")

WAYBILL_PLACEHOLDER = N_("Waybill number")
ANSWER_PLACEHOLDER = N_("Your answer")

ACCEPTED_NEXT = {
    Resolution.refund_original: N_("The refund to your card is being prepared."),
    Resolution.refund_iban: N_("The refund to your bank account is being prepared."),
    Resolution.store_credit: N_("Your store credit is being prepared."),
    Resolution.exchange: N_("Your exchange is being prepared."),
}


def waybill_hint(t: Translator, carrier: str | None) -> str:
    try:
        known = Carrier(carrier) if carrier else None
    except ValueError:
        known = None
    return t.gettext(WAYBILL_HINT.get(known, ANY_WAYBILL_HINT))  # type: ignore[arg-type]


def _head(return_: Return) -> dict[str, str]:
    return {
        "number": return_number(return_.id),
        "order": escape(return_.order.external_id),
    }


def approved(t: Translator, return_: Return, where: str) -> str:
    """The request is approved: where to send the parcel (``where``: HTML, RETURN_ADDRESS or the
    shop's template), and the waybill we wait for."""
    head = _head(return_)
    lines = [
        t.gettext("✅ Your return <b>{number}</b> for order <b>{order}</b> is approved.").format(
            **head
        ),
        "",
        t.gettext("<b>Where to send it</b>"),
        where,
        t.gettext("Write the return number {number} on the parcel or on a note inside.").format(
            number=head["number"]
        ),
        "",
        t.gettext(
            "📮 Once you have sent it, reply to this message with the waybill number of the "
            "return parcel."
        ),
        waybill_hint(t, return_.carrier),
    ]
    return "\n".join(lines)


def waybill_saved(t: Translator, return_: Return) -> str:
    return t.gettext(
        "📦 Thank you! Waybill <code>{waybill}</code> is saved for return <b>{number}</b>. "
        "We will write to you when the parcel reaches us."
    ).format(waybill=escape(return_.waybill or ""), **_head(return_))


def question(t: Translator, return_: Return, text: str) -> str:
    return "\n".join(
        [
            t.gettext("❓ The shop has a question about your return <b>{number}</b>:").format(
                **_head(return_)
            ),
            "",
            f"<i>{escape(text)}</i>",
            "",
            t.gettext("Please reply to this message with your answer."),
        ]
    )


def answer_passed_on(t: Translator, return_: Return) -> str:
    return t.gettext(
        "Thank you! Your answer about return <b>{number}</b> is passed on to the manager."
    ).format(**_head(return_))


def rejected(t: Translator, return_: Return, reason: str, *, after_inspection: bool) -> str:
    if after_inspection:
        head = t.gettext(
            "❌ We inspected the parcel of return <b>{number}</b> and cannot accept the return."
        )
    else:
        head = t.gettext(
            "❌ Sorry, your return request <b>{number}</b> for order <b>{order}</b> is rejected."
        )
    return "\n".join(
        [
            head.format(**_head(return_)),
            t.gettext("Reason: {reason}").format(reason=escape(reason)),
        ]
    )


def received(t: Translator, return_: Return) -> str:
    return t.gettext(
        "📦 Your return parcel <b>{number}</b> has reached us. We will inspect it and write to you."
    ).format(**_head(return_))


def accepted(t: Translator, return_: Return) -> str:
    head = t.gettext("✅ We inspected the items of return <b>{number}</b>: all is well.")
    next_step = t.gettext(ACCEPTED_NEXT[Resolution(return_.resolution)])
    done = t.gettext("We will tell you when it is done.")
    return f"{head.format(**_head(return_))}\n{next_step} {done}"


def refunded(t: Translator, return_: Return, amount: Decimal) -> str:
    """The refund is sent; an IBAN is shown masked (the customer recognises it, nobody else)."""
    values = {**_head(return_), "amount": t.money(amount, return_.order.currency)}
    resolution = Resolution(return_.resolution)
    if resolution is Resolution.refund_iban and return_.iban:
        text = t.gettext(
            "💸 The refund for return <b>{number}</b> is sent: <b>{amount}</b> to the account "
            "<code>{iban}</code>. Banks usually need 1–3 working days."
        ).format(iban=escape(mask_iban(return_.iban)), **values)
    elif resolution is Resolution.refund_original:
        text = t.gettext(
            "💸 The refund for return <b>{number}</b> is sent: <b>{amount}</b> to the card you "
            "paid with."
        ).format(**values)
    elif resolution is Resolution.store_credit:
        text = t.gettext(
            "💸 Store credit of <b>{amount}</b> for return <b>{number}</b> is added to your "
            "account with the shop."
        ).format(**values)
    else:
        text = t.gettext(
            "🔁 The exchange for return <b>{number}</b> is done (worth <b>{amount}</b>). "
            "The manager will tell you about the parcel."
        ).format(**values)
    return text


def cancelled(t: Translator, return_: Return) -> str:
    return t.gettext(
        "Return request <b>{number}</b> for order <b>{order}</b> is cancelled."
    ).format(**_head(return_))


def waybill_invalid(t: Translator, carrier: str | None) -> str:
    return "\n".join(
        [
            t.gettext("🤔 This does not look like a waybill number."),
            waybill_hint(t, carrier),
            t.gettext("Please check it and send it again."),
        ]
    )
