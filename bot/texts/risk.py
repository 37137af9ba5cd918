"""The rating in words: levels, reasons, a customer's rating card, flags and the audit log."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape
from typing import Final

from bot.domain.audit import AuditAction
from bot.domain.errors import N_
from bot.domain.feedback import RefusalReason
from bot.domain.risk import Assessment, Flag, Reason, ReasonKind, RiskLevel
from bot.i18n import Translator
from bot.texts import labels
from bot.texts.escaping import escape
from storage.models import AuditEntry, Customer

LEVEL = {
    RiskLevel.ok: N_("✅ reliable"),
    RiskLevel.risky: N_("⚠️ risky"),
    RiskLevel.blacklisted: N_("⛔ blacklisted"),
}

FLAG = {
    Flag.rude: N_("rude"),
    Flag.fraud: N_("fraud"),
    Flag.address: N_("wrong address"),
}

# Looked up by the stored action, a plain string.
AUDIT_ACTION: Final[Mapping[str, str]] = {
    AuditAction.blacklist: N_("blacklisted"),
    AuditAction.unblock: N_("unblocked"),
    AuditAction.texting_off: N_("stopped Viber/SMS"),
    AuditAction.texting_on: N_("allowed Viber/SMS again"),
    AuditAction.note: N_("added a note"),
    AuditAction.flag: N_("flagged"),
    AuditAction.approve: N_("approved an order"),
    AuditAction.prepay: N_("asked for prepayment"),
    AuditAction.cancel: N_("cancelled an order"),
    AuditAction.take: N_("took an order"),
    AuditAction.return_step: N_("moved a return"),
    AuditAction.forget: N_("erased the customer's personal data"),
}
_REFUSAL_VALUES = frozenset(reason.value for reason in RefusalReason)


_TAG = re.compile(r"<[^>]+>")


def plain_text(html_text: str) -> str:
    """The words of a line without its HTML: for the shop's JSON."""
    return unescape(_TAG.sub("", html_text))


def level(t: Translator, value: RiskLevel | str) -> str:
    return t.gettext(LEVEL[RiskLevel(value)])


def flag(t: Translator, value: Flag | str) -> str:
    return t.gettext(FLAG[Flag(value)])


def quoted(text: str, limit: int = 200) -> str:
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"“{escape(short)}”"


def _days_ago(t: Translator, days: int) -> str:
    if days == 0:
        return t.gettext("today")
    return t.ngettext("{days} day ago", "{days} days ago", days).format(days=days)


def _why(t: Translator, reason: Reason) -> str | None:
    if reason.text in _REFUSAL_VALUES and reason.text != RefusalReason.other:
        return quoted(labels.refusal_reason(t, reason.text))
    if reason.comment:
        return quoted(reason.comment)
    if reason.text in _REFUSAL_VALUES:
        return quoted(labels.refusal_reason(t, reason.text))
    return None


def reason_line(t: Translator, reason: Reason) -> str:
    kind = reason.kind
    if kind is ReasonKind.no_history:
        return t.ngettext(
            "new customer: {count} order, no parcel picked up or refused yet",
            "new customer: {count} orders, no parcel picked up or refused yet",
            reason.count,
        ).format(count=reason.count)
    if kind is ReasonKind.picked_up:
        return t.ngettext(
            "{count} of {total} parcel picked up",
            "{count} of {total} parcels picked up",
            reason.total,
        ).format(count=reason.count, total=reason.total)
    if kind is ReasonKind.refused:
        return t.ngettext(
            "{count} of {total} parcel refused",
            "{count} of {total} parcels refused",
            reason.total,
        ).format(count=reason.count, total=reason.total)
    if kind is ReasonKind.last_refusal:
        when = _days_ago(t, reason.days)
        why = _why(t, reason)
        if why is None:
            return t.gettext("last refusal {when}").format(when=when)
        return t.gettext("last refusal {when}: {why}").format(when=when, why=why)
    if kind is ReasonKind.refused_in_a_row:
        return t.ngettext(
            "refused the last {count} parcel in a row",
            "refused the last {count} parcels in a row",
            reason.count,
        ).format(count=reason.count)
    if kind is ReasonKind.cancelled_after_confirmation:
        return t.ngettext(
            "{count} order cancelled after confirming it",
            "{count} orders cancelled after confirming them",
            reason.count,
        ).format(count=reason.count)
    if kind is ReasonKind.flagged:
        return t.gettext("flagged: {flags}").format(
            flags=", ".join(flag(t, one) for one in reason.flags)
        )
    if kind is ReasonKind.note:
        return t.ngettext(
            "{count} note, the latest: {text}", "{count} notes, the latest: {text}", reason.count
        ).format(count=reason.count, text=quoted(reason.text or ""))
    if kind is ReasonKind.blacklisted_automatically:
        return t.gettext(
            "blacklisted automatically: {count} or more refusals and less than {percent}% picked up"
        ).format(count=reason.count, percent=reason.total)
    return _manual_line(t, reason)


def _manual_line(t: Translator, reason: Reason) -> str:
    when = t.datetime(reason.at) if reason.at else ""
    who = escape(reason.by or "")
    if reason.kind is ReasonKind.blacklisted_by_manager:
        line = t.gettext("blacklisted by {manager}, {when}").format(manager=who, when=when)
    else:
        line = t.gettext("unblocked by {manager}, {when}").format(manager=who, when=when)
    return f"{line}: {quoted(reason.text)}" if reason.text else line


def reasons_lines(t: Translator, assessment: Assessment) -> list[str]:
    return [f"• {reason_line(t, reason)}" for reason in assessment.reasons]


def rating_headline(t: Translator, assessment: Assessment) -> str:
    return t.gettext("Rating: {level}, score {score} of 100").format(
        level=level(t, assessment.level), score=assessment.score
    )


def customer_title(customer: Customer) -> str:
    parts = [f"<b>{escape(customer.name)}</b>", escape(customer.phone)]
    if customer.telegram_username:
        parts.append(f"@{escape(customer.telegram_username)}")
    return ", ".join(parts)


def rating_card(t: Translator, customer: Customer, assessment: Assessment) -> str:
    return "\n".join(
        [customer_title(customer), rating_headline(t, assessment), *reasons_lines(t, assessment)]
    )


def short_summary(t: Translator, assessment: Assessment) -> str:
    """One line: the level, the score and the first reason (for lists)."""
    first = reason_line(t, assessment.reasons[0]) if assessment.reasons else ""
    head = f"{level(t, assessment.level)} · {assessment.score}"
    return f"{head} · {first}" if first else head


def audit_line(
    t: Translator, entry: AuditEntry, customer: Customer | None, order_number: str | None
) -> str:
    action = AUDIT_ACTION.get(entry.action)
    parts = [
        t.datetime(entry.created_at),
        f"<b>{escape(entry.actor_name)}</b>",
        t.gettext(action) if action else escape(entry.action),
    ]
    if customer is not None:
        parts.append(f"{escape(customer.name)} ({escape(customer.phone)})")
    if order_number:
        parts.append(t.gettext("order {number}").format(number=escape(order_number)))
    line = " · ".join(parts)
    return f"{line}: {quoted(entry.detail)}" if entry.detail else line
