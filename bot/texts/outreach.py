"""Viber/SMS texts for customers outside Telegram, their links, and how they read to managers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain.categories import Category
from bot.domain.languages import Language
from bot.domain.outreach import ChannelPreference, OutreachPurpose, OutreachState, SkipReason
from bot.domain.sms_parts import sms_parts
from bot.i18n import Catalogs, Translator
from bot.texts.escaping import escape
from bot.texts.templates import TemplateKey, Templates
from bot.texts.templates.keys import SMS_KEYS
from bot.texts.templates.samples import sample_values
from storage.models import OutreachMessage

SHORT_CODE_LENGTH = 10
PAGE_PATH = "/p/"  # <PUBLIC_URL>/p/<code>: the web confirmation page
TELEGRAM_PATH = "/t/"  # <PUBLIC_URL>/t/<code>: the bot's deep link for the order

SMS_KEY: Mapping[OutreachPurpose, TemplateKey] = {
    OutreachPurpose.confirm: TemplateKey.outreach_confirm_sms,
    OutreachPurpose.arrived: TemplateKey.outreach_arrived,
    OutreachPurpose.storage_last_day: TemplateKey.outreach_storage_last_day,
}
VIBER_KEY: Mapping[OutreachPurpose, TemplateKey] = {
    **SMS_KEY,
    OutreachPurpose.confirm: TemplateKey.outreach_confirm_viber,
}


@dataclass(frozen=True)
class Texts:
    sms: str
    viber: str
    button: str | None  # the Viber button's caption (the page link is its target)


def short_links(public_url: str, code: str) -> dict[str, str]:
    base = public_url.rstrip("/")
    return {
        "page_link": f"{base}{PAGE_PATH}{code}",
        "telegram_link": f"{base}{TELEGRAM_PATH}{code}",
    }


def texts(
    templates: Templates,
    purpose: OutreachPurpose,
    language: Language,
    category: Category | None,
    values: Mapping[str, str],
    t: Translator,
) -> Texts:
    sms = templates.render(SMS_KEY[purpose], language, category, values, t)
    viber = templates.render(VIBER_KEY[purpose], language, category, values, t)
    # TurboSMS takes a caption of at most 30 characters (refdata: code 408).
    button = t.gettext("Confirm the order")[:30] if purpose is OutreachPurpose.confirm else None
    return Texts(sms=sms, viber=viber, button=button)


def too_long(
    templates: Templates,
    catalogs: Catalogs,
    *,
    shop: str,
    public_url: str,
    max_parts: int,
) -> list[str]:
    """Every SMS text (built-in or the shop's, per language and category) that would take more
    than ``max_parts`` parts with this shop's name and address: one line each, for the start."""
    problems = []
    links = short_links(public_url, "A" * SHORT_CODE_LENGTH)
    for key in sorted(SMS_KEYS):
        for language in Language:
            t = catalogs(language)
            values = {**sample_values(t), "shop": shop, **links}
            for category in (None, *Category):
                if category is not None and templates.lookup(key, language, category) is None:
                    continue  # the same text as for any category: checked once
                text = templates.render(key, language, category, values, t)
                parts = sms_parts(text)
                if parts > max_parts:
                    where = ".".join(filter(None, [key.value, category, language.value]))
                    problems.append(
                        f"{where} takes {parts} SMS parts with SHOP_NAME and PUBLIC_URL "
                        f"({len(text)} characters), SMS_MAX_PARTS allows {max_parts}"
                    )
    return problems


# -- how an attempt reads in the managers' "call this customer" alert --------------------------


def _channels(t: Translator, preference: str) -> str:
    return {
        ChannelPreference.viber_then_sms: t.gettext("Viber → SMS"),
        ChannelPreference.sms: t.gettext("SMS"),
        ChannelPreference.viber: t.gettext("Viber"),
    }.get(ChannelPreference(preference), preference)


def _state(t: Translator, message: OutreachMessage) -> str:
    state = OutreachState(message.state)
    channel = {"sms": t.gettext("by SMS"), "viber": t.gettext("by Viber")}.get(
        message.channel or "", ""
    )
    if state is OutreachState.skipped:
        return {
            SkipReason.stopped: t.gettext("not sent: the customer asked not to be texted"),
            SkipReason.daily_limit: t.gettext("not sent: the daily limit for this customer"),
            SkipReason.budget: t.gettext("not sent: this month's budget is spent"),
            SkipReason.no_phone: t.gettext("not sent: the phone cannot take messages"),
            SkipReason.no_link: t.gettext("not sent: the bot has no public address"),
            SkipReason.not_needed: t.gettext("not sent: no longer needed"),
        }[SkipReason(message.skip_reason or SkipReason.not_needed)]
    words = {
        OutreachState.queued: t.gettext("waiting to be sent"),
        OutreachState.sent: t.gettext("sent, no delivery report yet"),
        OutreachState.delivered: t.gettext("delivered {channel}"),
        OutreachState.read: t.gettext("read {channel}"),
        OutreachState.not_delivered: t.gettext("not delivered"),
        OutreachState.expired: t.gettext("not delivered in time"),
        OutreachState.rejected: t.gettext("refused by the provider"),
        OutreachState.failed: t.gettext("not sent: the provider refused it"),
    }
    return words[state].format(channel=channel).strip()


def attempt_lines(messages: Sequence[OutreachMessage], t: Translator) -> list[str]:
    """``📨 Viber → SMS at 14:05: not delivered (Undelivered)``, one per message."""
    lines = []
    for message in messages:
        line = t.gettext("📨 {channels} at {time}: {state}").format(
            channels=_channels(t, message.preference),
            time=f"{message.created_at.astimezone(t.timezone):%H:%M}",
            state=_state(t, message),
        )
        if message.detail and OutreachState(message.state).missed:
            line += f" ({escape(message.detail[:100])})"
        lines.append(line)
    return lines
