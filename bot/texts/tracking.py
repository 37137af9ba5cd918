"""What customers hear while their parcel travels and waits.

The words come from the templates (the shop's overrides, else the built-in translated texts in
``bot/texts/templates/builtin.py``); this module supplies the values for their placeholders.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape

from bot.domain.categories import Category
from bot.domain.orders import Payment
from bot.domain.pickup import free_days_left, waiting_since
from bot.i18n import Translator
from bot.texts import labels
from bot.texts.templates import TemplateKey, Templates
from storage.models import Order, Shipment


def last_free_day(shipment: Shipment) -> date | None:
    return shipment.paid_storage_from - timedelta(days=1) if shipment.paid_storage_from else None


def storage_note(shipment: Shipment, t: Translator, today: date) -> str:
    """Free storage as it stands today: days left, the last free day, or paid storage running."""
    left = free_days_left(shipment.paid_storage_from, today)
    free_until = last_free_day(shipment)
    if left is None or free_until is None:
        return ""
    day = t.date(free_until)
    if left < 0:
        return t.gettext("Free storage ended on {day}: storage is paid now.").format(day=day)
    if left == 0:
        return t.gettext("Today, {day}, is the last day of free storage.").format(day=day)
    days = left + 1
    return t.ngettext(
        "Free storage until {day} inclusive: {days} day left, today included.",
        "Free storage until {day} inclusive: {days} days left, today included.",
        days,
    ).format(day=day, days=days)


def values(order: Order, shipment: Shipment, t: Translator, now: datetime) -> dict[str, str]:
    """Every placeholder's value, as plain text ('' when unknown); the templates escape them.

    Written when the message goes out, so it is true then: however late the news came.
    """
    amount = shipment.cod_amount if shipment.cod_amount is not None else order.total
    to_pay = order.payment == Payment.cod and bool(amount)
    free_until = last_free_day(shipment)
    since = waiting_since(shipment.arrived_at, now, t.timezone)
    return {
        "number": order.external_id,
        "customer_name": order.recipient_name,
        "total": t.money(order.total, order.currency),
        "carrier": labels.carrier(t, shipment.carrier),
        "tracking": shipment.tracking_number,
        "expected_delivery": t.date(shipment.expected_delivery)
        if shipment.expected_delivery
        else "",
        "point": shipment.point or ", ".join(part for part in (order.city, order.point) if part),
        "amount": t.money(amount, order.currency) if to_pay else "",
        "storage_until": t.date(free_until) if free_until else "",
        "storage": storage_note(shipment, t, now.astimezone(t.timezone).date()),
        "waiting_since": t.date(since) if since else "",
    }


def message(
    key: TemplateKey,
    order: Order,
    shipment: Shipment,
    t: Translator,
    *,
    now: datetime,
    templates: Templates | None = None,
    category: Category | None = None,
) -> str:
    """The ``key`` message about this parcel at ``now``, in ``t``'s language, for a customer
    of ``category``."""
    chosen = templates if templates is not None else Templates()
    return chosen.render(key, t.language, category, values(order, shipment, t, now), t)


def storage_moved(order: Order, shipment: Shipment, t: Translator) -> str:
    """The carrier extended (or the shop corrected) the last free day after the arrival notice."""
    free_until = last_free_day(shipment)
    assert free_until is not None  # only sent when the carrier gave a date
    return t.gettext(
        "🗓 New storage date for order <b>{number}</b>: the parcel waits for you for free "
        "until {day} inclusive."
    ).format(number=escape(order.external_id), day=t.date(free_until))
