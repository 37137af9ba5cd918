"""The page's HTML: the order card as Telegram shows it, the answer forms, and the result and
error pages. Inline CSS, no scripts, no external resources: it loads on a bad connection."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.domain.languages import Language
from bot.domain.orders import CancelReason, OrderStatus
from bot.i18n import Translator
from bot.texts import labels
from bot.texts.escaping import escape as escape_text
from bot.texts.orders import order_card
from storage.models import Order

# Each language in its own words: the switch is read by someone who does not read the current one.
LANGUAGE_NAMES = {Language.uk: "Українська", Language.ru: "Русский", Language.en: "English"}

STYLE = (
    "body{margin:0;font:17px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "background:#f4f4f6;color:#1b1b1f;overflow-wrap:anywhere}"  # codes without spaces wrap too
    "main{max-width:34rem;margin:0 auto;padding:12px}"
    # Every tap target at least 44 px tall (the language links, the reasons' labels too).
    "nav{display:flex;flex-wrap:wrap;justify-content:flex-end;font-size:15px}"
    "nav a,nav b{padding:12px 7px;line-height:20px}"
    ".card{background:#fff;border-radius:12px;padding:4px 16px;margin:10px 0}"
    "h1{font-size:21px;margin:12px 0}"
    "button,.tg{display:block;box-sizing:border-box;width:100%;min-height:52px;margin:10px 0;"
    "border:0;border-radius:10px;font:inherit;font-weight:600;text-align:center;"
    "text-decoration:none;padding:13px}"
    ".ok{background:#1a7f37;color:#fff}.no{background:#c62828;color:#fff}"
    ".alt{background:#e3e6ec;color:#1b1b1f}.tg{background:#2481cc;color:#fff}"
    "details{background:#fff;border-radius:10px;margin:10px 0;padding:0 14px}"
    "summary{min-height:48px;line-height:48px;font-weight:600;cursor:pointer}"
    "label{display:block;padding:10px 0}input[type=radio]{width:20px;height:20px;"
    "vertical-align:middle;margin-right:8px}"
    "textarea{box-sizing:border-box;width:100%;min-height:90px;font:inherit;padding:8px;"
    "border:1px solid #bbb;border-radius:8px}"
    ".note{color:#555;font-size:15px}"
)


@dataclass(frozen=True)
class Form:
    """Where a form posts and the CSRF token it carries."""

    action: str
    csrf: str


@dataclass(frozen=True)
class PageFrame:
    """What every page shares: its language, and the address the language switch links to."""

    t: Translator
    path: str  # the page's own path, without the query


def masked_phone(phone: str) -> str:
    """The country and operator code and the last two digits: ``+38050•••••67``."""
    if len(phone) < 9:
        return "•" * len(phone)
    return f"{phone[:6]}{'•' * (len(phone) - 8)}{phone[-2:]}"


def document(frame: PageFrame, title: str, body: str) -> str:
    t = frame.t
    switch = " ".join(
        f"<b>{name}</b>"
        if language is t.language
        else f'<a href="{escape(frame.path)}?lang={language.value}" hreflang="{language.value}"'
        f' lang="{language.value}">{name}</a>'
        for language, name in LANGUAGE_NAMES.items()
    )
    return (
        f'<!doctype html><html lang="{t.language.value}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex,nofollow">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main><nav>{switch}</nav>{body}</main></body></html>"
    )


def card(order: Order, t: Translator) -> str:
    """The Telegram card's text (its HTML is valid HTML too), and the recipient, phone masked."""
    title, *groups = order_card(order, t, on_web=True).split("\n\n")
    recipient = t.gettext("Recipient: {name}, {phone}").format(
        name=escape_text(order.recipient_name), phone=masked_phone(order.customer.phone)
    )
    paragraphs = [group.replace("\n", "<br>") for group in groups]
    paragraphs.insert(len(paragraphs) - 1, recipient)
    return f"<h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)


def order_page(
    frame: PageFrame, order: Order, forms: dict[str, Form] | None, texting: str = ""
) -> str:
    """The order; with ``forms`` (while it awaits an answer) Confirm, Cancel and Change;
    ``texting``: the Viber/SMS block (:func:`texting_block`), if any."""
    t = frame.t
    body = f'<section class="card">{card(order, t)}</section>'
    if forms is not None and OrderStatus(order.status) is OrderStatus.new:
        body += _confirm_form(t, forms["confirm"]) + _cancel_form(t, forms["cancel"])
        body += _change_form(t, forms["change"])
    body += texting
    title = t.gettext("Order {number}").format(number=order.external_id)
    return document(frame, title, body)


def result_page(
    frame: PageFrame, order: Order, message: str, telegram_link: str | None, texting: str = ""
) -> str:
    """After an answer: what happened, the way to the bot, the Viber/SMS block, the card."""
    t = frame.t
    body = f"<h1>{message}</h1>{_telegram_button(t, telegram_link)}{texting}"
    body += f'<section class="card">{card(order, t)}</section>'
    title = t.gettext("Order {number}").format(number=order.external_id)
    return document(frame, title, body)


def message_page(frame: PageFrame, message: str, telegram_link: str | None = None) -> str:
    """A refusal or an error: what is wrong, that nothing changed, and the way to the bot."""
    nothing = frame.t.gettext("Nothing was changed.")
    body = f'<h1>{escape(message)}</h1><p class="note">{escape(nothing)}</p>'
    return document(frame, message, body + _telegram_button(frame.t, telegram_link))


def _telegram_button(t: Translator, telegram_link: str | None) -> str:
    if not telegram_link:
        return ""
    label = t.gettext("Get delivery updates in Telegram")
    return f'<a class="tg" href="{escape(telegram_link)}">{escape(label)}</a>'


def _hidden(form: Form) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(form.csrf)}">'


def _confirm_form(t: Translator, form: Form) -> str:
    label = t.gettext("✅ Confirm")
    return (
        f'<form method="post" action="{escape(form.action)}">{_hidden(form)}'
        f'<button class="ok" type="submit">{escape(label)}</button></form>'
    )


def _cancel_form(t: Translator, form: Form) -> str:
    summary, question = t.gettext("❌ Cancel"), t.gettext("Why do you want to cancel?")
    comment, submit = t.gettext("Comment (optional)"), t.gettext("Cancel the order")
    reasons = "".join(
        f'<label><input type="radio" name="reason" value="{reason.value}" required>'
        f"{escape(labels.cancel_reason(t, reason))}</label>"
        for reason in CancelReason
    )
    return (
        f"<details><summary>{escape(summary)}</summary>"
        f'<form method="post" action="{escape(form.action)}">{_hidden(form)}'
        f"<p>{escape(question)}</p>{reasons}"
        f'<label for="cancel-comment">{escape(comment)}</label>'
        '<textarea id="cancel-comment" name="comment" maxlength="1000"></textarea>'
        f'<button class="no" type="submit">{escape(submit)}</button>'
        "</form></details>"
    )


def _change_form(t: Translator, form: Form) -> str:
    summary, submit = t.gettext("✏️ Change"), t.gettext("Send to a manager")
    prompt = t.gettext(
        "What would you like to change? Size, colour, address, anything: a manager will "
        "contact you."
    )
    return (
        f"<details><summary>{escape(summary)}</summary>"
        f'<form method="post" action="{escape(form.action)}">{_hidden(form)}'
        f'<label for="change-text">{escape(prompt)}</label>'
        '<textarea id="change-text" name="text" maxlength="1000" required></textarea>'
        f'<button class="alt" type="submit">{escape(submit)}</button>'
        "</form></details>"
    )


def texting_block(t: Translator, form: Form, *, arrival_by_sms: bool) -> str:
    """For a customer outside Telegram: that the parcel's news comes by Viber/SMS (where
    OUTREACH_NOTICES sends it), and the button that stops it."""
    note = (
        t.gettext("We will send you a Viber message or an SMS when the parcel arrives.")
        if arrival_by_sms
        else t.gettext("We may send you a Viber message or an SMS about this order.")
    )
    label = t.gettext("🔕 Don't text me")
    return (
        f'<p class="note">{escape(note)}</p>'
        f'<form method="post" action="{escape(form.action)}">{_hidden(form)}'
        f'<button class="alt" type="submit">{escape(label)}</button></form>'
    )
