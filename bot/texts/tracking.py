"""What customers hear while their parcel travels and waits.

The words come from the templates (the shop's overrides, else the built-in translated texts in
``bot/templates/builtin.py``); this module supplies the values for their placeholders.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from bot.domain.categories import Category
from bot.domain.orders import Payment
from bot.i18n import Translator
from bot.templates import TemplateKey, Templates
from bot.texts import labels
from storage.models import Order, Shipment


def last_free_day(shipment: Shipment) -> date | None:
    return shipment.paid_storage_from - timedelta(days=1) if shipment.paid_storage_from else None


def values(order: Order, shipment: Shipment, t: Translator) -> dict[str, str]:
    """Every placeholder's value, as plain text ('' when unknown); the templates escape them."""
    amount = shipment.cod_amount if shipment.cod_amount is not None else order.total
    to_pay = order.payment == Payment.cod.value and bool(amount)
    free_until = last_free_day(shipment)
    return {
        "number": order.external_id,
        "customer_name": order.customer.name,
        "total": t.money(order.total, order.currency),
        "carrier": labels.carrier(t, shipment.carrier),
        "tracking": shipment.tracking_number,
        "expected_delivery": t.date(shipment.expected_delivery)
        if shipment.expected_delivery
        else "",
        "point": shipment.point or ", ".join(part for part in (order.city, order.point) if part),
        "amount": t.money(amount, order.currency) if to_pay else "",
        "storage_until": t.date(free_until) if free_until else "",
    }


def message(
    key: TemplateKey,
    order: Order,
    shipment: Shipment,
    t: Translator,
    *,
    templates: Templates | None = None,
    category: Category | None = None,
) -> str:
    """The ``key`` message about this parcel, in ``t``'s language, for a customer of ``category``."""
    chosen = templates if templates is not None else Templates()
    return chosen.render(key, t.language, category, values(order, shipment, t), t)


def storage_moved(order: Order, shipment: Shipment, t: Translator) -> str:
    """The carrier extended (or the shop corrected) the last free day after the arrival notice."""
    free_until = last_free_day(shipment)
    assert free_until is not None  # only sent when the carrier gave a date
    return t.gettext(
        "🗓 New storage date for order <b>{number}</b>: the parcel waits for you for free "
        "until {day} inclusive."
    ).format(number=escape(order.external_id), day=t.date(free_until))
