"""What the managers read when something needs a person, and when it clears."""

from __future__ import annotations

import html

from bot.domain.incidents import IncidentKind
from bot.i18n import Translator

REDELIVER = "vykup webhooks --redeliver"


def opened(t: Translator, kind: IncidentKind, detail: str) -> str:
    if kind is IncidentKind.shop_webhooks:
        return t.gettext(
            "⚠️ <b>The shop's server does not take Vykup's events</b>, so customers' answers "
            "may be missing from the shop's order list.\n"
            "Last answer: <code>{detail}</code>\n"
            "Check SHOP_WEBHOOK_URL and the shop's server. Vykup keeps trying for a while; "
            "events it gave up on can be sent again once it works: <code>{command}</code>"
        ).format(detail=html.escape(detail[:300]), command=REDELIVER)
    raise ValueError(kind)


def resolved(t: Translator, kind: IncidentKind) -> str:
    if kind is IncidentKind.shop_webhooks:
        return t.gettext(
            "✅ <b>The shop's server takes Vykup's events again.</b> Events missed meanwhile: "
            "<code>{command}</code>"
        ).format(command=REDELIVER)
    raise ValueError(kind)
