"""What a customer is told about their chat itself."""

from __future__ import annotations

from bot.i18n import Translator
from bot.texts.escaping import escape


def linked(customer_name: str, orders_waiting: int, t: Translator) -> str:
    greeting = t.gettext("Hello, {name}! This chat is now linked to your orders.").format(
        name=escape(customer_name)
    )
    if orders_waiting:
        more = t.ngettext(
            "{count} order is waiting for your confirmation: see the card below.",
            "{count} orders are waiting for your confirmation: see the cards below.",
            orders_waiting,
        ).format(count=orders_waiting)
    else:
        more = t.gettext("We will write here as soon as you place an order.")
    return f"{greeting}\n{more}"
