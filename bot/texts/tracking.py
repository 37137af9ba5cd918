"""What customers hear while their parcel travels and waits."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from bot.domain.orders import Payment
from bot.i18n import Translator
from bot.texts import labels
from storage.models import Order, Shipment


def _number(order: Order) -> str:
    return escape(order.external_id)


def last_free_day(shipment: Shipment) -> date | None:
    return shipment.paid_storage_from - timedelta(days=1) if shipment.paid_storage_from else None


def shipped(order: Order, shipment: Shipment, t: Translator) -> str:
    lines = [
        t.gettext("🚚 Your order <b>{number}</b> is on its way with {carrier}.").format(
            number=_number(order), carrier=labels.carrier(t, shipment.carrier)
        ),
        t.gettext("Waybill number: <code>{tracking}</code>").format(
            tracking=escape(shipment.tracking_number)
        ),
    ]
    if shipment.expected_delivery:
        lines.append(
            t.gettext("Expected delivery: {day}.").format(day=t.date(shipment.expected_delivery))
        )
    return "\n".join(lines)


def _pickup_details(order: Order, shipment: Shipment, t: Translator) -> list[str]:
    lines = []
    amount = shipment.cod_amount if shipment.cod_amount is not None else order.total
    if order.payment == Payment.cod.value and amount:
        lines.append(
            t.gettext("To pay on delivery: <b>{amount}</b>").format(
                amount=t.money(amount, order.currency)
            )
        )
    free_until = last_free_day(shipment)
    if free_until:
        lines.append(
            t.gettext("Free storage until {day} inclusive.").format(day=t.date(free_until))
        )
    lines.append(
        t.gettext("At the counter, give the waybill number <code>{tracking}</code>.").format(
            tracking=escape(shipment.tracking_number)
        )
    )
    return lines


def _where(order: Order, shipment: Shipment) -> str:
    return escape(shipment.point or ", ".join(part for part in (order.city, order.point) if part))


def arrived(order: Order, shipment: Shipment, t: Translator) -> str:
    head = t.gettext("📦 Your order <b>{number}</b> has arrived: {point}.").format(
        number=_number(order), point=_where(order, shipment)
    )
    return "\n".join([head, "", *_pickup_details(order, shipment, t)])


def pickup_reminder(order: Order, shipment: Shipment, t: Translator) -> str:
    head = t.gettext("⏰ Your parcel <b>{number}</b> is waiting for you: {point}.").format(
        number=_number(order), point=_where(order, shipment)
    )
    return "\n".join([head, "", *_pickup_details(order, shipment, t)])


def received(order: Order, t: Translator) -> str:
    return t.gettext(
        "🎉 Thank you for picking up order <b>{number}</b>! How do you like it? Rate the order:"
    ).format(number=_number(order))


def why_not_taken(order: Order, t: Translator) -> str:
    return t.gettext(
        "We are sorry order <b>{number}</b> did not work out. Could you tell us why? "
        "It helps us get better."
    ).format(number=_number(order))


def storage_ended(order: Order, t: Translator) -> str:
    return t.gettext(
        "Free storage for order <b>{number}</b> has ended, so the parcel is going back to the shop."
    ).format(number=_number(order))


def delivery_failed(order: Order, t: Translator) -> str:
    return t.gettext(
        "🚚 The courier could not deliver order <b>{number}</b>. A manager will contact you to "
        "arrange a new delivery."
    ).format(number=_number(order))
