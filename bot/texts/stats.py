"""/stats as text: the buyout rate, the confirmation rate, refusals by reason, risky customers.

A pure function of the report. The list of risky customers gives way when the text is too long.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_percent

from bot.domain.errors import N_
from bot.i18n import BABEL_LOCALES, Translator
from bot.texts import labels
from bot.texts.digest import MAX_TEXT, NO_REASON, text_length
from bot.texts.escaping import escape
from bot.texts.outreach_stats import outreach_lines
from bot.texts.returns.stats import return_lines
from bot.texts.risk import short_summary
from bot.views.stats import RefusalCount, RiskyLine, StatsReport

MAX_CAPTION = 1024  # Telegram's limit for a photo caption, counted here on the HTML (stricter)

USAGE = N_(
    "Usage: /stats [{periods}] — the figures of the last 7, 30 or 90 days "
    "(30 without an argument), for example /stats 7d"
)


def usage(t: Translator, codes: tuple[str, ...]) -> str:
    return t.gettext(USAGE).format(periods="|".join(codes))


def percent(part: int, whole: int, t: Translator) -> str:
    """``part`` of ``whole`` as a percentage in the reader's language; ``whole`` is never 0."""
    return format_percent(Decimal(part) / Decimal(whole), locale=BABEL_LOCALES[t.language])


def refusal_label(line: RefusalCount, t: Translator) -> str:
    return labels.refusal_reason(t, line.reason) if line.reason else t.gettext(NO_REASON)


def stats_text(report: StatsReport, t: Translator, *, limit: int = MAX_TEXT) -> str:
    risky = [risky_line(line, t) for line in report.top_risky]
    while True:
        text = _compose(report, risky, t)
        if text_length(text) <= limit or not risky:
            return text
        risky.pop()


def _compose(report: StatsReport, risky: list[str], t: Translator) -> str:
    days = report.period.value
    lines = [
        t.ngettext(
            "📊 <b>Statistics for the last {days} day</b> ({start} – {end})",
            "📊 <b>Statistics for the last {days} days</b> ({start} – {end})",
            days,
        ).format(
            days=days,
            start=t.date(report.since.astimezone(t.timezone).date()),
            end=t.date(report.until.astimezone(t.timezone).date()),
        ),
        "",
        buyout_line(report, t),
        confirmation_line(report, t),
        "",
    ]
    if report.refusals:
        lines.append(
            t.gettext("↩️ <b>Refusals by reason</b>: {count}").format(count=report.refused_orders)
        )
        lines += [
            t.gettext("• {reason}: {count}").format(reason=refusal_label(line, t), count=line.count)
            for line in report.refusals
        ]
    else:
        lines.append(t.gettext("↩️ No refusals in this period."))
    lines += return_lines(report.returns, t)
    lines += outreach_lines(report.outreach, t)
    if risky:
        lines += ["", t.gettext("⚠️ <b>Top risky customers</b>"), *risky]
    return "\n".join(lines)


def buyout_line(report: StatsReport, t: Translator) -> str:
    outcomes = report.outcomes
    if not outcomes.finished:
        return t.gettext("📈 <b>Buyout rate</b>: no parcels finished in this period.")
    return t.ngettext(
        "📈 <b>Buyout rate</b>: <b>{rate}</b> — {received} of {finished} parcel picked up "
        "(refused: {refused}, returned: {returned})",
        "📈 <b>Buyout rate</b>: <b>{rate}</b> — {received} of {finished} parcels picked up "
        "(refused: {refused}, returned: {returned})",
        outcomes.finished,
    ).format(
        rate=percent(outcomes.received, outcomes.finished, t),
        received=outcomes.received,
        finished=outcomes.finished,
        refused=outcomes.refused,
        returned=outcomes.returned,
    )


def confirmation_line(report: StatsReport, t: Translator) -> str:
    counts = report.confirmations
    if not counts.answered:
        line = t.gettext("✅ <b>Confirmation rate</b>: no answered orders in this period.")
    else:
        line = t.ngettext(
            "✅ <b>Confirmation rate</b>: <b>{rate}</b> — {confirmed} of {answered} answered "
            "order confirmed",
            "✅ <b>Confirmation rate</b>: <b>{rate}</b> — {confirmed} of {answered} answered "
            "orders confirmed",
            counts.answered,
        ).format(
            rate=percent(counts.confirmed, counts.answered, t),
            confirmed=counts.confirmed,
            answered=counts.answered,
        )
    if counts.waiting:
        line += " " + t.ngettext(
            "({count} new order still waiting for an answer)",
            "({count} new orders still waiting for an answer)",
            counts.waiting,
        ).format(count=counts.waiting)
    return line


def risky_line(line: RiskyLine, t: Translator) -> str:
    who = f"<b>{escape(line.name)}</b>, {escape(line.phone)}"
    return f"• {who} — {short_summary(t, line.assessment)}"


def chart_caption(report: StatsReport, t: Translator) -> str:
    """A short caption for the chart, when the full text has to go in its own message."""
    days = report.period.value
    return t.ngettext(
        "📊 Buyout rate by week and refusals by reason, last {days} day",
        "📊 Buyout rate by week and refusals by reason, last {days} days",
        days,
    ).format(days=days)
