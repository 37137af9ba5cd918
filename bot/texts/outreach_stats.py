"""Viber/SMS in /stats as text: the messages, what became of them, their cost, and the results."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_percent

from bot.domain.outreach import SkipReason
from bot.domain.outreach_figures import Deliveries
from bot.i18n import BABEL_LOCALES, Translator
from bot.views.stats import OutreachFigures


def rate(part: int, whole: int, t: Translator) -> str:
    """``part`` of ``whole`` as a percentage in the reader's language; ``whole`` is never 0."""
    return format_percent(Decimal(part) / Decimal(whole), locale=BABEL_LOCALES[t.language])


def share(part: int, whole: int, t: Translator) -> str:
    """``2 of 4 (50%)``."""
    return t.gettext("{part} of {whole} ({rate})").format(
        part=part, whole=whole, rate=rate(part, whole, t)
    )


def skip_reason(t: Translator, reason: SkipReason) -> str:
    return {
        SkipReason.stopped: t.gettext("the customer said stop"),
        SkipReason.daily_limit: t.gettext("daily limit"),
        SkipReason.budget: t.gettext("monthly budget spent"),
        SkipReason.no_phone: t.gettext("the phone cannot take messages"),
        SkipReason.no_link: t.gettext("the bot has no public address"),
        SkipReason.not_needed: t.gettext("no longer needed"),
    }[reason]


def outreach_lines(figures: OutreachFigures | None, t: Translator) -> list[str]:
    """Nothing at all when outreach is off and no message was due in the period."""
    if figures is None:
        return []
    lines = [
        "",
        t.gettext("📱 <b>Viber/SMS</b>")
        if figures.on
        else t.gettext("📱 <b>Viber/SMS</b> (turned off now)"),
    ]
    deliveries = figures.deliveries
    if deliveries.total:
        lines += _message_lines(deliveries, figures.currency, t)
    else:
        lines.append(t.gettext("• No messages in this period."))
    if figures.month is not None:
        lines.append(
            t.gettext("• Spent {spent} of {budget} this month").format(
                spent=t.money(figures.month.spent, figures.currency),
                budget=t.money(figures.month.budget, figures.currency),
            )
        )
    results = figures.results
    if results.orders:
        lines.append(
            t.ngettext(
                "• Asked to confirm: {count} order — confirmed {confirmed}, cancelled {cancelled}",
                "• Asked to confirm: {count} orders — confirmed {confirmed}, cancelled {cancelled}",
                results.orders,
            ).format(
                count=results.orders,
                confirmed=share(results.confirmed, results.orders, t),
                cancelled=share(results.cancelled, results.orders, t),
            )
        )
    if results.customers:
        lines.append(
            t.ngettext(
                "• Opened the bot after the message: {linked} of {count} customer ({rate})",
                "• Opened the bot after the message: {linked} of {count} customers ({rate})",
                results.customers,
            ).format(
                linked=results.linked,
                count=results.customers,
                rate=rate(results.linked, results.customers, t),
            )
        )
    return lines


def _message_lines(deliveries: Deliveries, currency: str, t: Translator) -> list[str]:
    sent = t.ngettext(
        "• Sent: {count} message", "• Sent: {count} messages", deliveries.sent
    ).format(count=deliveries.sent)
    channels = [
        text.format(count=count)
        for text, count in (
            (t.gettext("Viber: {count}"), deliveries.viber),
            (t.gettext("SMS: {count}"), deliveries.sms),
            (t.gettext("channel not reported yet: {count}"), deliveries.channel_unknown),
        )
        if count
    ]
    if channels:
        sent += f" ({', '.join(channels)})"
    lines = [sent]
    if deliveries.sent or deliveries.not_delivered:
        line = t.gettext("• Delivered: {delivered}, not delivered: {not_delivered}").format(
            delivered=deliveries.delivered, not_delivered=deliveries.not_delivered
        )
        if deliveries.awaiting_report:
            line += ", " + t.gettext("no report yet: {count}").format(
                count=deliveries.awaiting_report
            )
        lines.append(line)
    if deliveries.queued:
        lines.append(
            t.ngettext(
                "• Waiting to go: {count} message",
                "• Waiting to go: {count} messages",
                deliveries.queued,
            ).format(count=deliveries.queued)
        )
    if deliveries.not_sent:
        reasons = ", ".join(
            f"{skip_reason(t, line.reason)}: {line.count}" for line in deliveries.skipped
        )
        lines.append(
            t.ngettext(
                "• Not sent: {count} message ({reasons})",
                "• Not sent: {count} messages ({reasons})",
                deliveries.not_sent,
            ).format(count=deliveries.not_sent, reasons=reasons)
        )
    if deliveries.sent:
        lines.append(t.gettext("• Cost: {cost}").format(cost=t.money(deliveries.cost, currency)))
    return lines
