"""Outreach as the settings configure it: the gateway, and the start check of its SMS texts."""

from __future__ import annotations

from pathlib import Path

from bot.channels.base import DeliveryKind, Gateway
from bot.channels.turbosms import TurboSmsGateway
from bot.config import Settings
from bot.i18n import Catalogs
from bot.texts import outreach as outreach_texts
from bot.texts.templates import TemplateError, TemplateProblem, Templates


def outreach_gateway(settings: Settings) -> Gateway | None:
    """TurboSMS with the account's token and senders; None when outreach is off."""
    token = settings.turbosms_token
    if token is None or settings.outreach_rules is None:
        return None
    return TurboSmsGateway(
        token.get_secret_value(),
        sms_sender=settings.sms_sender or "",
        viber_sender=settings.viber_sender or "",
        api_url=settings.turbosms_api_url,
        status_texts={
            text: DeliveryKind(kind) for text, kind in settings.turbosms_status_texts.items()
        },
    )


def check_sms_texts(settings: Settings, templates: Templates, catalogs: Catalogs) -> None:
    """Refuse to start when an SMS text would take more than SMS_MAX_PARTS parts."""
    rules = settings.outreach_rules
    if rules is None or settings.public_url is None:
        return
    problems = outreach_texts.too_long(
        templates,
        catalogs,
        shop=rules.shop_name,
        public_url=settings.public_url,
        max_parts=rules.max_parts,
    )
    if problems:
        hint = (
            "shorten SHOP_NAME or PUBLIC_URL, write a shorter text in TEMPLATES_FILE, "
            "or allow more parts with SMS_MAX_PARTS"
        )
        raise TemplateError(
            templates.source or Path("SMS texts"),
            [TemplateProblem(None, problem) for problem in problems]
            + [TemplateProblem(None, hint)],
        )
