"""Stalled parcels as people read them: the managers' announcement, /stalled, the digest's lines,
and the customer's "taking longer than usual"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.domain.pickup import free_days_left
from bot.domain.stalls import StallRule
from bot.i18n import Translator
from bot.texts.escaping import escape
from storage.repositories.stalls import StallLine


@dataclass(frozen=True)
class StallPage:
    lines: list[StallLine]
    page: int  # from 0
    pages: int
    total: int
    today: date  # the shop's date: free storage days count from it


def what_is_late(line: StallLine, t: Translator, zone: ZoneInfo, today: date) -> str:
    """What is late and since when, in one phrase."""
    day = t.date(line.since.astimezone(zone).date())
    waybill = escape(line.waybill or "")
    rule = StallRule(line.rule)
    if rule is StallRule.not_shipped:
        return t.gettext("confirmed on {day}, still no waybill").format(day=day)
    if rule is StallRule.not_scanned:
        return t.gettext("waybill {waybill} made on {day}, the carrier has not scanned it").format(
            waybill=waybill, day=day
        )
    if rule is StallRule.in_transit:
        return t.gettext("in transit since {day} (waybill {waybill})").format(
            day=day, waybill=waybill
        )
    return t.gettext(
        "waiting at the branch since {day}, {storage}; the customer is not in the chat "
        "and has not answered"
    ).format(day=day, storage=_storage_left(line.paid_storage_from, today, t))


def _storage_left(paid_storage_from: date | None, today: date, t: Translator) -> str:
    """The free days left, today included (the digest's words for a waiting parcel)."""
    left = free_days_left(paid_storage_from, today)
    if left is None:
        return t.gettext("paid storage date unknown")
    if left < 0:
        return t.gettext("paid storage has begun")
    return t.ngettext(
        "{days} day of free storage left", "{days} days of free storage left", left + 1
    ).format(days=left + 1)


def announcement(
    line: StallLine, t: Translator, zone: ZoneInfo, today: date, *, moved: bool = False
) -> str:
    """The managers' message about one stalled parcel, and who handles it."""
    lines = [
        t.gettext("⏳ <b>A parcel has stalled</b>: order <b>{number}</b>").format(
            number=escape(line.order_number)
        ),
        t.gettext("👤 {name}, {phone}").format(
            name=escape(line.customer_name), phone=escape(line.customer_phone)
        ),
        "⚠️ " + what_is_late(line, t, zone, today),
    ]
    if line.taken_by_name:
        lines.append(
            t.gettext("🙋 {manager} is handling it.").format(manager=escape(line.taken_by_name))
        )
    if moved:
        lines.append(t.gettext("✅ The parcel has moved again."))
    return "\n".join(lines)


def entry(line: StallLine, t: Translator, zone: ZoneInfo, today: date) -> str:
    """One line of /stalled and of the digest."""
    text = t.gettext("• <b>{number}</b> — {name}, {phone}: {late}").format(
        number=escape(line.order_number),
        name=escape(line.customer_name),
        phone=escape(line.customer_phone),
        late=what_is_late(line, t, zone, today),
    )
    if line.taken_by_name:
        text += " " + t.gettext("(🙋 {manager})").format(manager=escape(line.taken_by_name))
    return text


def page_reply(page: StallPage, t: Translator, zone: ZoneInfo) -> str:
    if not page.total:
        return t.gettext("No parcel has stalled.")
    head = t.ngettext(
        "⏳ <b>{count} stalled parcel</b> (page {page} of {pages})",
        "⏳ <b>{count} stalled parcels</b> (page {page} of {pages})",
        page.total,
    ).format(count=page.total, page=page.page + 1, pages=page.pages)
    return "\n".join([head, *(entry(line, t, zone, page.today) for line in page.lines)])


def taking_longer(order_number: str, t: Translator) -> str:
    """The customer's one message about a parcel in transit longer than usual."""
    return t.gettext(
        "📦 Your parcel with order <b>{number}</b> is taking longer than usual. "
        "We are keeping an eye on it and will tell you as soon as it arrives."
    ).format(number=escape(order_number))


def more_stalled(count: int, t: Translator) -> str:
    """Stalls found beyond those announced one by one in a check."""
    return t.ngettext(
        "⏳ …and {count} more stalled parcel: see /stalled",
        "⏳ …and {count} more stalled parcels: see /stalled",
        count,
    ).format(count=count)
