"""What the managers read about a connected platform or CRM."""

from __future__ import annotations

from bot.i18n import Translator
from bot.texts.escaping import escape

PLATFORM_NAMES = {"woocommerce": "WooCommerce", "shopify": "Shopify", "keycrm": "KeyCRM"}


def credentials_refused(t: Translator, *, name: str, platform: str, problem: str) -> str:
    return t.gettext(
        "🔌 <b>{platform} refused Vykup's key</b> (connection «{name}»), so customers' answers "
        "no longer reach its orders; they wait and nothing is lost.\n"
        "Answer: <code>{problem}</code>\n"
        "Check the key's permissions in {platform}, then run <code>vykup connect {command} …</code> "
        "again with the new key: the waiting updates go out at once."
    ).format(
        platform=PLATFORM_NAMES.get(platform, platform),
        name=escape(name),
        problem=escape(problem[:300]),
        command=escape(platform),
    )
