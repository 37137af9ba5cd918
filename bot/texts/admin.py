"""Replies to admin commands: usage help and the results, in the admin's language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.errors import N_
from bot.i18n import Translator
from bot.texts.escaping import escape
from bot.texts.orders import order_line
from bot.texts.risk import audit_line, customer_title, quoted, rating_card, short_summary
from bot.views.customers import BlacklistPage, CustomerRating, RatedCustomer
from bot.views.erasure import Erased, ErasureCandidate
from storage.models import AuditEntry, Customer

WHO = N_("[phone, order number or @username]")
USAGE = {
    "blacklist": N_(
        "Usage: /blacklist {who} [reason]\nFor example: /blacklist +380501234567 refused three parcels"
    ),
    "unblock": N_(
        "Usage: /unblock {who} [reason]\nFor example: /unblock A-1001 paid for the last order"
    ),
    "rating": N_("Usage: /rating {who}\nFor example: /rating @olena"),
    "find": N_(
        "Usage: /find [at least 3 digits of a phone, or a part of a name]\nFor example: /find 4567 or /find Олена"
    ),
    "note": N_(
        "Usage: /note {who} [text]\nFor example: /note +380501234567 asks to call after 18:00"
    ),
    "flag": N_("Usage: /flag {who} rude|fraud|address\nFor example: /flag A-1001 address"),
    "audit": N_("Usage: /audit or /audit {who}"),
    "blacklisted": N_("Usage: /blacklisted or /blacklisted [page number]"),
    "forget": N_("Usage: /forget [phone]\nFor example: /forget +380501234567"),
    "nosms": N_("Usage: /nosms {who}\nFor example: /nosms +380501234567"),
    "sms": N_("Usage: /sms {who}\nFor example: /sms +380501234567"),
}


def usage(t: Translator, command: str) -> str:
    return t.gettext(USAGE[command]).format(who=t.gettext(WHO))


def too_long(t: Translator, limit: int) -> str:
    return t.gettext("That is too long: at most {limit} characters, please.").format(limit=limit)


def rating_reply(t: Translator, rating: CustomerRating) -> str:
    rated = rating.rated
    lines = [rating_card(t, rated.customer, rated.assessment)]
    if rating.other_names:
        lines.append(
            t.gettext("Orders also came for: {names}").format(
                names=", ".join(escape(name) for name in rating.other_names)
            )
        )
    if rating.recent_orders:
        lines += ["", t.gettext("<b>Latest orders</b>")]
        lines += [order_line(order, t) for order in rating.recent_orders]
    if rating.notes:
        lines += ["", t.gettext("<b>Notes</b>")]
        lines += [
            f"{t.datetime(note.created_at)} · {escape(note.actor_name)}: {quoted(note.text)}"
            for note in rating.notes
        ]
    return "\n".join(lines)


def blacklisted_reply(t: Translator, rated: RatedCustomer) -> str:
    return "\n".join(
        [
            t.gettext("⛔ {name} is blacklisted.").format(name=escape(rated.customer.name)),
            "",
            rating_card(t, rated.customer, rated.assessment),
        ]
    )


def unblocked_reply(t: Translator, rated: RatedCustomer) -> str:
    return "\n".join(
        [
            t.gettext("🔓 {name} is unblocked.").format(name=escape(rated.customer.name)),
            "",
            rating_card(t, rated.customer, rated.assessment),
        ]
    )


def note_saved(t: Translator, customer: Customer) -> str:
    return t.gettext("📝 Note saved for {name}.").format(name=escape(customer.name))


def flag_reply(t: Translator, rated: RatedCustomer, flag_label: str, added: bool) -> str:
    name = escape(rated.customer.name)
    if added:
        head = t.gettext("🚩 {name} is flagged: {flag}.").format(name=name, flag=flag_label)
    else:
        head = t.gettext("{name} was already flagged: {flag}.").format(name=name, flag=flag_label)
    return "\n".join([head, "", rating_card(t, rated.customer, rated.assessment)])


def found_reply(t: Translator, query: str, found: Sequence[RatedCustomer]) -> str:
    if not found:
        return t.gettext("Nobody found for {query}.").format(query=quoted(query))
    lines = [t.gettext("Found for {query}:").format(query=quoted(query))]
    lines += [
        f"• {customer_title(one.customer)} — {short_summary(t, one.assessment)}" for one in found
    ]
    return "\n".join(lines)


def blacklist_page_reply(t: Translator, page: BlacklistPage) -> str:
    if not page.total:
        return t.gettext("Nobody is blacklisted.")
    lines = [
        t.ngettext(
            "⛔ <b>{count} blacklisted customer</b> (page {page} of {pages})",
            "⛔ <b>{count} blacklisted customers</b> (page {page} of {pages})",
            page.total,
        ).format(count=page.total, page=page.page + 1, pages=page.pages)
    ]
    lines += [
        f"• {customer_title(one.customer)} — {short_summary(t, one.assessment)}"
        for one in page.entries
    ]
    return "\n".join(lines)


def audit_reply(
    t: Translator,
    customer: Customer | None,
    entries: Sequence[tuple[AuditEntry, Customer | None, str | None]],
) -> str:
    if customer is not None:
        head = t.gettext("<b>Audit log</b> for {name}").format(name=escape(customer.name))
    else:
        head = t.gettext("<b>Audit log</b>, the latest first")
    if not entries:
        return "\n".join([head, t.gettext("Nothing recorded yet.")])
    return "\n".join([head, *(audit_line(t, *entry) for entry in entries)])


def forget_question(t: Translator, found: ErasureCandidate) -> str:
    lines = [
        t.gettext(
            "Erase the personal data of <b>{name}</b> for good? Their name, phone, Telegram "
            "link, IBANs, notes, messages and return photos are erased; their orders stay, "
            "anonymised, so the statistics stay true."
        ).format(name=escape(found.name)),
        t.gettext("Orders: {count}.").format(count=found.orders),
    ]
    if found.open_orders:
        lines.append(
            t.ngettext(
                "{count} of them is still open: no more messages go about it, and the shop "
                "is told.",
                "{count} of them are still open: no more messages go about them, and the shop "
                "is told.",
                found.open_orders,
            ).format(count=found.open_orders)
        )
    return "\n".join(lines)


def forget_done(t: Translator, erased: Erased) -> str:
    return t.gettext(
        "🗑 The personal data of customer #{id} is erased. Their orders stay, anonymised."
    ).format(id=erased.customer_id)


def forget_kept(t: Translator) -> str:
    return t.gettext("Nothing was erased.")


def texting_reply(t: Translator, customer: Customer) -> str:
    """/nosms and /sms: where the customer stands now."""
    who = customer_title(customer)
    if customer.outreach_stopped_at is not None:
        return t.gettext(
            "🔕 {customer} gets no Viber or SMS messages from Vykup (since {day}). "
            "Lift it with /sms."
        ).format(
            customer=who, day=t.date(customer.outreach_stopped_at.astimezone(t.timezone).date())
        )
    return t.gettext(
        "🔔 {customer} may get Viber and SMS messages again when the bot cannot reach them in "
        "Telegram."
    ).format(customer=who)
