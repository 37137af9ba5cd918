"""Alerts in the managers' chat about parcels and what customers said about them."""

from __future__ import annotations

from bot.domain.feedback import CannotPickReason, RefusalReason
from bot.i18n import Translator
from bot.texts import labels
from bot.texts.escaping import escape
from bot.texts.orders import customer_line
from storage.models import Order, Shipment


def _order_line(order: Order, t: Translator) -> str:
    return t.gettext("Order <b>{number}</b>, {total}").format(
        number=escape(order.external_id), total=t.money(order.total, order.currency)
    )


def _quote(comment: str | None) -> list[str]:
    return [f"<blockquote>{escape(comment)}</blockquote>"] if comment else []


def cannot_pick_up(
    order: Order, shipment: Shipment, reason: CannotPickReason, comment: str | None, t: Translator
) -> str:
    return "\n".join(
        [
            t.gettext("🙁 <b>The customer can't pick up the parcel</b>: {reason}").format(
                reason=labels.cannot_pick_reason(t, reason)
            ),
            *_quote(comment),
            "",
            customer_line(order, t),
            _order_line(order, t),
            t.gettext("Waybill <code>{tracking}</code>").format(
                tracking=escape(shipment.tracking_number)
            ),
        ]
    )


def extension_asked(
    order: Order, shipment: Shipment, t: Translator, *, carrier_said: str | None = None
) -> str:
    """``carrier_said``: why Vykup could not extend it through the carrier, in its words."""
    lines = [
        t.gettext("🗓 <b>The customer asks to extend storage</b> of their parcel."),
        "",
        customer_line(order, t),
        _order_line(order, t),
        t.gettext("Waybill <code>{tracking}</code>").format(
            tracking=escape(shipment.tracking_number)
        ),
    ]
    if carrier_said:
        lines.append(
            t.gettext("The carrier could not extend it: {reason}").format(
                reason=escape(carrier_said)
            )
        )
    return "\n".join(lines)


def low_rating(order: Order, stars: int, t: Translator) -> str:
    return "\n".join(
        [
            t.gettext("⭐ <b>Low rating</b>: {stars} of 5").format(stars=stars),
            "",
            customer_line(order, t),
            _order_line(order, t),
        ]
    )


def refusal_reason(order: Order, reason: RefusalReason, comment: str | None, t: Translator) -> str:
    return "\n".join(
        [
            t.gettext("↩️ <b>Why the customer refused the parcel</b>: {reason}").format(
                reason=labels.refusal_reason(t, reason)
            ),
            *_quote(comment),
            "",
            customer_line(order, t),
            _order_line(order, t),
        ]
    )
