"""What the customer reads while choosing another pickup point."""

from __future__ import annotations

from bot.i18n import Translator
from bot.texts.escaping import escape
from storage.models import Order


def search_prompt(order: Order, t: Translator) -> str:
    return t.gettext(
        "📍 Which branch or parcel locker in <b>{city}</b> suits you? "
        "Write its number (for example 12) or the street."
    ).format(city=escape(order.city))


def results(order: Order, query: str, count: int, page: int, pages: int, t: Translator) -> str:
    if count == 0:
        return t.gettext(
            "Nothing in {city} matches «{query}». Try the branch number or another street name."
        ).format(city=escape(order.city), query=escape(query))
    head = t.ngettext(
        "{count} branch in {city} matches «{query}»:",
        "{count} branches in {city} match «{query}»:",
        count,
    ).format(count=count, city=escape(order.city), query=escape(query))
    if pages > 1:
        head += "\n" + t.gettext("Page {page} of {pages}.").format(page=page + 1, pages=pages)
    return head


def chosen(order: Order, t: Translator) -> str:
    return t.gettext("✅ Order <b>{number}</b> will go to: {point}").format(
        number=escape(order.external_id), point=escape(order.point or "")
    )


def list_expired(t: Translator) -> str:
    return t.gettext("This list is out of date. Press «📍 Change the branch» on the order again.")
