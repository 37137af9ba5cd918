"""Translatable names of the domain's enums."""

from __future__ import annotations

from bot.domain.errors import N_
from bot.domain.feedback import CannotPickReason, RefusalReason
from bot.domain.orders import CancelReason, Carrier, OrderStatus, Payment
from bot.i18n import Translator

STATUS = {
    OrderStatus.new: N_("awaiting confirmation"),
    OrderStatus.on_hold: N_("on hold"),
    OrderStatus.confirmed: N_("confirmed"),
    OrderStatus.cancelled: N_("cancelled"),
    OrderStatus.shipped: N_("shipped"),
    OrderStatus.arrived: N_("waiting at the pickup point"),
    OrderStatus.received: N_("received"),
    OrderStatus.refused: N_("refused"),
    OrderStatus.returning: N_("returning to the shop"),
    OrderStatus.returned: N_("returned to the shop"),
}

PAYMENT = {
    Payment.cod: N_("cash on delivery"),
    Payment.prepaid: N_("prepaid"),
}

CARRIER = {
    Carrier.nova_poshta: N_("Nova Poshta"),
    Carrier.ukrposhta: N_("Ukrposhta"),
    Carrier.meest: N_("Meest"),
    Carrier.rozetka: N_("Rozetka Delivery"),
    Carrier.courier: N_("courier"),
    Carrier.pickup: N_("pickup from the shop"),
    Carrier.other: N_("other delivery"),
}

CANCEL_REASON = {
    CancelReason.changed_mind: N_("Changed my mind"),
    CancelReason.found_cheaper: N_("Found it cheaper"),
    CancelReason.by_mistake: N_("Ordered by mistake"),
    CancelReason.too_slow: N_("Delivery is too slow"),
    CancelReason.other: N_("Other reason"),
}


CANNOT_PICK_REASON = {
    CannotPickReason.away: N_("I'm away"),
    CannotPickReason.no_money: N_("No money to pay now"),
    CannotPickReason.not_needed: N_("I don't need it any more"),
    CannotPickReason.other: N_("Other reason"),
}

REFUSAL_REASON = {
    RefusalReason.changed_mind: N_("Changed my mind"),
    RefusalReason.too_expensive: N_("Too expensive"),
    RefusalReason.not_as_described: N_("Not as described"),
    RefusalReason.wrong_item: N_("Wrong item"),
    RefusalReason.too_long: N_("Delivery took too long"),
    RefusalReason.did_not_order: N_("I didn't order it"),
    RefusalReason.other: N_("Other reason"),
}


def cannot_pick_reason(t: Translator, value: str) -> str:
    return t.gettext(CANNOT_PICK_REASON[CannotPickReason(value)])


def refusal_reason(t: Translator, value: str) -> str:
    return t.gettext(REFUSAL_REASON[RefusalReason(value)])


def status(t: Translator, value: str) -> str:
    return t.gettext(STATUS[OrderStatus(value)])


def payment(t: Translator, value: str) -> str:
    return t.gettext(PAYMENT[Payment(value)])


def carrier(t: Translator, value: str) -> str:
    return t.gettext(CARRIER[Carrier(value)])


def cancel_reason(t: Translator, value: str) -> str:
    return t.gettext(CANCEL_REASON[CancelReason(value)])
