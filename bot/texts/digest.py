"""The managers' daily digest: parcels waiting at branches, refusals, the buyout rate.

A pure function of plain data. The lists give way when the text is too long; the totals never do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_percent

from bot.domain.errors import N_
from bot.i18n import BABEL_LOCALES, Translator
from bot.texts import labels
from bot.texts.escaping import escape
from bot.texts.stalls import entry
from storage.repositories.stalls import StallLine
from storage.repositories.stats import Outcomes, RefusedOrder, WaitingParcel

MAX_TEXT = 4096  # Telegram's limit for a message, counted here on the HTML itself (stricter)
MAX_LINES = 20  # per list
MAX_COMMENT = 100  # characters of a customer's comment quoted in the digest

STORAGE_UNKNOWN = N_("paid storage date unknown")
PAID_STORAGE = N_("paid storage has begun")
REACHABLE = N_("reachable in the chat")
UNREACHABLE = N_("📵 not in the chat, call")
NO_REASON = N_("no reason given yet")


@dataclass(frozen=True)
class Period:
    days: int
    outcomes: Outcomes


@dataclass(frozen=True)
class Digest:
    today: date  # in the shop's time zone: days of free storage count from it
    waiting: Sequence[WaitingParcel]  # the first ones, soonest paid storage first
    waiting_total: int
    refusals: Sequence[RefusedOrder]  # the first ones, oldest first
    refusals_total: int
    periods: Sequence[Period]  # the buyout rate over these periods
    # Cash-on-delivery orders from a connected platform, since the last digest, that nobody was
    # asked to confirm: by SkipReason value (no_phone, too_many_items).
    not_asked: Mapping[str, int] = field(default_factory=dict)
    # Parcels that stopped moving (bot.services.stalls), the oldest first, and how many.
    stalled: Sequence[StallLine] = ()
    stalled_total: int = 0
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))  # the shop's, for dates


def text_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), of the HTML: never less than visible."""
    return len(text.encode("utf-16-le")) // 2


def digest(data: Digest, t: Translator, *, limit: int = MAX_TEXT) -> str:
    waiting = [waiting_line(parcel, data.today, t) for parcel in data.waiting[:MAX_LINES]]
    refusals = [refusal_line(refusal, t) for refusal in data.refusals[:MAX_LINES]]
    stalled = [entry(line, t, data.zone, data.today) for line in data.stalled[:MAX_LINES]]
    shown = [len(waiting), len(refusals), len(stalled)]
    while True:
        text = _compose(
            data, waiting[: shown[0]], refusals[: shown[1]], t, stalled=stalled[: shown[2]]
        )
        if text_length(text) <= limit or sum(shown) == 0:
            return text
        longest = shown.index(max(shown))  # the longest list gives way first
        shown[longest] -= 1


def _compose(
    data: Digest,
    waiting: list[str],
    refusals: list[str],
    t: Translator,
    *,
    stalled: list[str] | None = None,
) -> str:
    lines = [t.gettext("📊 <b>Daily digest</b>, {day}").format(day=t.date(data.today)), ""]
    if data.waiting_total:
        lines.append(
            t.gettext("📦 <b>Parcels waiting at branches</b>: {count}").format(
                count=data.waiting_total
            )
        )
        lines += waiting
        hidden = data.waiting_total - len(waiting)
        if hidden > 0:
            lines.append(
                t.ngettext("…and {count} more parcel", "…and {count} more parcels", hidden).format(
                    count=hidden
                )
            )
    else:
        lines.append(t.gettext("📦 No parcels are waiting at branches."))
    lines.append("")
    if data.refusals_total:
        lines.append(
            t.gettext("↩️ <b>Refusals since the last digest</b>: {count}").format(
                count=data.refusals_total
            )
        )
        lines += refusals
        hidden = data.refusals_total - len(refusals)
        if hidden > 0:
            lines.append(
                t.ngettext(
                    "…and {count} more refusal", "…and {count} more refusals", hidden
                ).format(count=hidden)
            )
    else:
        lines.append(t.gettext("↩️ No refusals since the last digest."))
    lines += _stalled(data, stalled or [], t)
    lines += _not_asked(data.not_asked, t)
    lines += ["", t.gettext("📈 <b>Buyout rate</b>")]
    lines += [period_line(period, t) for period in data.periods]
    return "\n".join(lines)


def _stalled(data: Digest, stalled: list[str], t: Translator) -> list[str]:
    if not data.stalled_total:
        return []
    lines = [
        "",
        t.gettext("⏳ <b>Stalled parcels</b>: {count} (all in /stalled)").format(
            count=data.stalled_total
        ),
        *stalled,
    ]
    hidden = data.stalled_total - len(stalled)
    if hidden > 0:
        lines.append(
            t.ngettext(
                "…and {count} more stalled parcel", "…and {count} more stalled parcels", hidden
            ).format(count=hidden)
        )
    return lines


def _not_asked(counts: Mapping[str, int], t: Translator) -> list[str]:
    no_phone, too_big = counts.get("no_phone", 0), counts.get("too_many_items", 0)
    if not (no_phone or too_big):
        return []
    lines = ["", t.gettext("🔌 <b>Orders from the shop's platform nobody was asked about</b>")]
    if no_phone:
        lines.append(
            t.ngettext(
                "• {count} without a usable phone number: check it in the shop",
                "• {count} without a usable phone number: check them in the shop",
                no_phone,
            ).format(count=no_phone)
        )
    if too_big:
        lines.append(
            t.ngettext(
                "• {count} of more than 100 lines: confirm it by phone",
                "• {count} of more than 100 lines: confirm them by phone",
                too_big,
            ).format(count=too_big)
        )
    return lines


def storage_note(paid_storage_from: date | None, today: date, t: Translator) -> str:
    if paid_storage_from is None:
        return t.gettext(STORAGE_UNKNOWN)
    days = (paid_storage_from - today).days
    if days <= 0:
        return t.gettext(PAID_STORAGE)
    return t.ngettext(
        "{days} day of free storage left", "{days} days of free storage left", days
    ).format(days=days)


def waiting_line(parcel: WaitingParcel, today: date, t: Translator) -> str:
    return t.gettext("• <b>{number}</b> — {name}, {phone} — {storage}; {chat}").format(
        number=escape(parcel.order_number),
        name=escape(parcel.customer_name),
        phone=escape(parcel.customer_phone),
        storage=storage_note(parcel.paid_storage_from, today, t),
        chat=t.gettext(REACHABLE if parcel.reachable else UNREACHABLE),
    )


def _shorten(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def refusal_line(refusal: RefusedOrder, t: Translator) -> str:
    reason = labels.refusal_reason(t, refusal.reason) if refusal.reason else t.gettext(NO_REASON)
    if refusal.comment:
        reason = f"{reason} «{escape(_shorten(refusal.comment, MAX_COMMENT))}»"
    return t.gettext("• <b>{number}</b> — {name}, {phone}: {reason}").format(
        number=escape(refusal.order_number),
        name=escape(refusal.customer_name),
        phone=escape(refusal.customer_phone),
        reason=reason,
    )


def buyout_rate(outcomes: Outcomes, t: Translator) -> str:
    share = Decimal(outcomes.received) / Decimal(outcomes.finished)
    return format_percent(share, locale=BABEL_LOCALES[t.language])


def period_line(period: Period, t: Translator) -> str:
    outcomes = period.outcomes
    if not outcomes.finished:
        return t.ngettext(
            "Last {days} day: no finished parcels yet",
            "Last {days} days: no finished parcels yet",
            period.days,
        ).format(days=period.days)
    return t.ngettext(
        "Last {days} day: <b>{rate}</b> (received: {received}, refused: {refused}, "
        "returned: {returned})",
        "Last {days} days: <b>{rate}</b> (received: {received}, refused: {refused}, "
        "returned: {returned})",
        period.days,
    ).format(
        days=period.days,
        rate=buyout_rate(outcomes, t),
        received=outcomes.received,
        refused=outcomes.refused,
        returned=outcomes.returned,
    )
