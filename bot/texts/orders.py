"""Order cards and order lines, as the customer and the managers see them."""

from __future__ import annotations

from bot.domain.orders import OrderStatus
from bot.domain.pickup_points import PointCheck
from bot.domain.risk_decisions import RiskDecision
from bot.i18n import Translator
from bot.texts import labels
from bot.texts.escaping import escape
from storage.models import Order


def items_lines(order: Order, t: Translator) -> list[str]:
    return [
        t.gettext("• {name} × {quantity} — {price}").format(
            name=escape(item.name),
            quantity=item.quantity,
            price=t.money(item.price * item.quantity, order.currency),
        )
        for item in order.items
    ]


def delivery_line(order: Order, t: Translator) -> str:
    where = ", ".join(escape(part) for part in (order.city, order.point, order.address) if part)
    return t.gettext("Delivery: {carrier}, {where}").format(
        carrier=labels.carrier(t, order.carrier), where=where
    )


def order_card(order: Order, t: Translator, *, on_web: bool = False) -> str:
    """The card a customer confirms; its last line tells the status once there is one."""
    lines = [
        t.gettext("🛍 <b>Order {number}</b>").format(number=escape(order.external_id)),
        "",
        *items_lines(order, t),
        "",
        t.gettext("Total: <b>{total}</b>").format(total=t.money(order.total, order.currency)),
        t.gettext("Payment: {payment}").format(payment=labels.payment(t, order.payment)),
        delivery_line(order, t),
        "",
    ]
    status = OrderStatus(order.status)
    if status is OrderStatus.new:
        problem = point_problem(order, t, on_web=on_web)
        if problem is not None:
            lines += [problem, ""]
        lines.append(t.gettext("Please confirm the order, or tell us what to change."))
    elif status is OrderStatus.confirmed:
        lines.append(t.gettext("✅ Confirmed. We will tell you when it ships."))
    elif status is OrderStatus.on_hold and order.risk_decision == RiskDecision.prepay:
        lines.append(
            t.gettext(
                "💳 This order needs prepayment of {total}. The shop will send you the details."
            ).format(total=t.money(order.total, order.currency))
        )
    elif status is OrderStatus.on_hold:
        lines.append(t.gettext("⏳ The shop is checking this order and will contact you."))
    elif status is OrderStatus.cancelled and order.risk_decision == RiskDecision.cancel:
        lines.append(t.gettext("❌ Cancelled by the shop."))
    elif status is OrderStatus.cancelled:
        if order.cancel_reason:
            lines.append(
                t.gettext("❌ Cancelled: {reason}").format(
                    reason=escape(
                        order.cancel_comment or labels.cancel_reason(t, order.cancel_reason)
                    )
                )
            )
        else:
            lines.append(t.gettext("❌ Cancelled."))
    else:
        lines.append(t.gettext("Status: {status}").format(status=labels.status(t, order.status)))
    return "\n".join(lines)


def point_problem(order: Order, t: Translator, *, on_web: bool = False) -> str | None:
    """What the check of the order's pickup point found wrong, with what to do about it."""
    check = order.point_check
    carrier = labels.carrier(t, order.carrier)
    if check == PointCheck.unknown:
        text = t.gettext("⚠️ {carrier} has no such branch or parcel locker in {city}.").format(
            carrier=carrier, city=escape(order.city)
        )
    elif check == PointCheck.closed:
        text = t.gettext("⚠️ {carrier} says this branch is not working now.").format(carrier=carrier)
    elif check == PointCheck.too_heavy and order.weight is not None:
        text = t.gettext("⚠️ This branch does not take parcels of {weight} kg.").format(
            weight=t.number(order.weight)
        )
    else:
        return None
    return "\n".join(
        [
            text,
            # The web page has no branch search: the customer writes the branch to a manager.
            t.gettext("Please write in «✏️ Change» below which branch or parcel locker suits you.")
            if on_web
            else t.gettext("Please choose another one: press «📍 Change the branch» below."),
        ]
    )


def order_line(order: Order, t: Translator) -> str:
    """One line of /orders."""
    return t.gettext("<b>{number}</b> — {total} — {status}").format(
        number=escape(order.external_id),
        total=t.money(order.total, order.currency),
        status=labels.status(t, order.status),
    )


def customer_line(order: Order, t: Translator) -> str:
    return t.gettext("Customer: {name}, {phone}").format(
        name=escape(order.recipient_name), phone=escape(order.customer.phone)
    )
