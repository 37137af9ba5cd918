"""The notes Vykup leaves on a platform's order (WooCommerce order notes, Shopify's note, KeyCRM's
manager comment): plain text in the managers' language, read by the shop's staff."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from bot.domain.errors import N_
from bot.domain.feedback import RefusalReason
from bot.domain.orders import CancelReason
from bot.domain.risk_decisions import RISK_REASON
from bot.domain.shop_events import ShopEvent
from bot.i18n import Translator
from bot.texts.labels import CANCEL_REASON, REFUSAL_REASON

E = ShopEvent
SENTENCES: Final[Mapping[ShopEvent, str]] = {
    E.order_confirmed: N_("Vykup: the customer confirmed the order in Telegram."),
    E.order_cancelled: N_("Vykup: the order was cancelled in Telegram."),
    E.order_change_requested: N_("Vykup: the customer asked to change the order."),
    E.order_on_hold: N_("Vykup: the order is on hold until a manager decides."),
    E.order_prepayment_required: N_("Vykup: prepayment is required before shipping."),
    E.order_approved: N_("Vykup: a manager approved the order."),
    E.order_customer_unreachable: N_(
        "Vykup: the customer does not answer in Telegram; please call them."
    ),
    E.order_refusal_reason: N_("Vykup: the customer said why they refused the parcel."),
    E.shipment_refused: N_("Vykup: the customer refused the parcel."),
    E.shipment_received: N_("Vykup: the customer received the parcel."),
    E.return_requested: N_("Vykup: the customer asked to return items ({number})."),
    E.return_approved: N_("Vykup: the return {number} was approved."),
    E.return_refunded: N_("Vykup: the money for the return {number} went back to the customer."),
}


LINK_FOR_STAFF = N_(
    "Vykup: the customer has not opened the bot yet. Their link to confirm this order in Telegram:"
)
LINK_FOR_CUSTOMER = N_("Please confirm your order {number} in Telegram, in one tap:")


def link_notes(staff: Translator, customer: Translator, number: str) -> tuple[str, str]:
    """The notes that carry the order's Telegram link (added after them): for the staff, and for
    the customer where the platform shows notes to customers."""
    return staff.gettext(LINK_FOR_STAFF), customer.gettext(LINK_FOR_CUSTOMER).format(number=number)


def platform_note(
    t: Translator,
    event: ShopEvent,
    *,
    reason: str | None = None,
    comment: str | None = None,
    return_number: str | None = None,
) -> str | None:
    """The note for ``event``, or None for an event the platform does not hear about."""
    sentence = SENTENCES.get(event)
    if sentence is None:
        return None
    lines = [t.gettext(sentence).format(number=return_number or "")]
    label = _reason(t, event, reason)
    if label:
        lines.append(t.gettext("Reason: {reason}").format(reason=label))
    if comment:
        lines.append(t.gettext("Customer's words: {comment}").format(comment=comment))
    return "\n".join(lines)


def _reason(t: Translator, event: ShopEvent, reason: str | None) -> str | None:
    if not reason:
        return None
    if reason == RISK_REASON:
        return t.gettext("the customer's rating")
    if event is E.order_cancelled and reason in CancelReason.__members__.values():
        return t.gettext(CANCEL_REASON[CancelReason(reason)])
    if event is E.order_refusal_reason and reason in RefusalReason.__members__.values():
        return t.gettext(REFUSAL_REASON[RefusalReason(reason)])
    return None  # other reasons are codes, not words: the sentence says enough
