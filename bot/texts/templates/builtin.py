"""The built-in tracking texts: gettext messages filled with the (already escaped) values.

A value that is empty (no expected delivery date, nothing to pay, unknown storage date) leaves
its line out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from bot.i18n import Translator
from bot.texts.templates.keys import TemplateKey
from bot.texts.templates.outreach_builtin import OUTREACH_BUILTIN
from bot.texts.templates.return_builtin import RETURN_BUILTIN

Values = Mapping[str, str]


def shipped(v: Values, t: Translator) -> str:
    lines = [
        t.gettext("🚚 Your order <b>{number}</b> is on its way with {carrier}.").format(
            number=v["number"], carrier=v["carrier"]
        ),
        t.gettext("Waybill number: <code>{tracking}</code>").format(tracking=v["tracking"]),
    ]
    if v["expected_delivery"]:
        lines.append(t.gettext("Expected delivery: {day}.").format(day=v["expected_delivery"]))
    return "\n".join(lines)


def _pickup_details(v: Values, t: Translator) -> list[str]:
    lines = []
    if v["amount"]:
        lines.append(t.gettext("To pay on delivery: <b>{amount}</b>").format(amount=v["amount"]))
    if v["storage"]:
        lines.append(v["storage"])
    lines.append(
        t.gettext("At the counter, give the waybill number <code>{tracking}</code>.").format(
            tracking=v["tracking"]
        )
    )
    return lines


def arrived(v: Values, t: Translator) -> str:
    if v["waiting_since"]:  # learnt late: say since when, not "has arrived"
        head = t.gettext(
            "📦 Your order <b>{number}</b> has been waiting for you since {day}: {point}."
        ).format(number=v["number"], day=v["waiting_since"], point=v["point"])
    else:
        head = t.gettext("📦 Your order <b>{number}</b> has arrived: {point}.").format(
            number=v["number"], point=v["point"]
        )
    return "\n".join([head, "", *_pickup_details(v, t)])


def pickup_reminder(v: Values, t: Translator) -> str:
    if v["waiting_since"]:
        head = t.gettext(
            "⏰ Your parcel <b>{number}</b> has been waiting for you since {day}: {point}."
        ).format(number=v["number"], day=v["waiting_since"], point=v["point"])
    else:
        head = t.gettext("⏰ Your parcel <b>{number}</b> is waiting for you: {point}.").format(
            number=v["number"], point=v["point"]
        )
    return "\n".join([head, "", *_pickup_details(v, t)])


def received(v: Values, t: Translator) -> str:
    return t.gettext(
        "🎉 Thank you for picking up order <b>{number}</b>! How do you like it? Rate the order:"
    ).format(number=v["number"])


def why_not_taken(v: Values, t: Translator) -> str:
    return t.gettext(
        "We are sorry order <b>{number}</b> did not work out. Could you tell us why? "
        "It helps us get better."
    ).format(number=v["number"])


def storage_ended(v: Values, t: Translator) -> str:
    return t.gettext(
        "Free storage for order <b>{number}</b> has ended, so the parcel is going back to the shop."
    ).format(number=v["number"])


def delivery_failed(v: Values, t: Translator) -> str:
    return t.gettext(
        "🚚 The courier could not deliver order <b>{number}</b>. A manager will contact you to "
        "arrange a new delivery."
    ).format(number=v["number"])


BUILTIN: Final[Mapping[TemplateKey, Callable[[Values, Translator], str]]] = {
    TemplateKey.shipped: shipped,
    TemplateKey.arrived: arrived,
    TemplateKey.pickup_reminder: pickup_reminder,
    TemplateKey.received: received,
    TemplateKey.why_not_taken: why_not_taken,
    TemplateKey.storage_ended: storage_ended,
    TemplateKey.delivery_failed: delivery_failed,
    **RETURN_BUILTIN,
    **OUTREACH_BUILTIN,
}
