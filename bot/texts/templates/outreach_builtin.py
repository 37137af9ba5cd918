"""The built-in Viber/SMS texts: plain text (no HTML), short enough for two Cyrillic SMS parts
with a short PUBLIC_URL; an empty value leaves its sentence out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from bot.i18n import Translator
from bot.texts.templates.keys import TemplateKey

Values = Mapping[str, str]


def confirm_sms(v: Values, t: Translator) -> str:
    return t.gettext(
        "{shop}: please confirm order {number}: {page_link} Telegram: {telegram_link}"
    ).format(**v)


def confirm_viber(v: Values, t: Translator) -> str:
    return "\n\n".join(
        [
            t.gettext("{shop}: your order {number} for {total} awaits your confirmation.").format(
                **v
            ),
            t.gettext("Confirm, cancel or change it here: {page_link}").format(**v),
            t.gettext("Order updates in Telegram: {telegram_link}").format(**v),
        ]
    )


def _to_pay(v: Values, t: Translator) -> list[str]:
    return [t.gettext("To pay: {amount}.").format(**v)] if v["amount"] else []


def arrived(v: Values, t: Translator) -> str:
    parts = [t.gettext("{shop}: order {number} is waiting at {point}.").format(**v)]
    parts += _to_pay(v, t)
    if v["storage_until"]:
        parts.append(t.gettext("Free until {storage_until}.").format(**v))
    return " ".join(parts)


def storage_last_day(v: Values, t: Translator) -> str:
    parts = [
        t.gettext(
            "{shop}: today is the last free day to pick up order {number} at {point}."
        ).format(**v)
    ]
    return " ".join(parts + _to_pay(v, t))


OUTREACH_BUILTIN: Final[Mapping[TemplateKey, Callable[[Values, Translator], str]]] = {
    TemplateKey.outreach_confirm_sms: confirm_sms,
    TemplateKey.outreach_confirm_viber: confirm_viber,
    TemplateKey.outreach_arrived: arrived,
    TemplateKey.outreach_storage_last_day: storage_last_day,
}
