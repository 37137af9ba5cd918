"""The shop API's refusals in words for the shop panel's banner, in the page's language.

The API answers the shop's programs in English codes (``409 conflict``, ``current_status: new``);
a shop owner clicking *Shipped* should read why nothing happened, and what to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from bot.domain.errors import N_
from bot.domain.orders import OrderStatus
from bot.i18n import Translator
from bot.texts import labels as domain_labels

CONFLICT: Final = N_(
    "The bot refused “{action}” for order {number}: it is {status}. Nothing changed."
)
CONFIRM_FIRST: Final = N_("The customer confirms it in their chat first.")
NOT_FOUND: Final = N_("The bot does not know order {number}.")
INVALID: Final = N_("The bot refused the order: these fields are wrong or missing: {fields}.")
ORDER_STATUSES: Final = frozenset(status.value for status in OrderStatus)
OTHER: Final = N_("The bot's API refused this ({status} {code}): the details are in the log.")


def refusal(t: Translator, action: str, number: str | None, status: int, answer: Any) -> str | None:
    """None for a success; otherwise one or two sentences saying what was refused and why.

    ``action`` is the button's own name on the page (already translated)."""
    if status < 400:
        return None
    error = answer.get("error") if isinstance(answer, Mapping) else None
    error = error if isinstance(error, Mapping) else {}
    code = str(error.get("code") or "")
    current = error.get("current_status")
    if code == "conflict" and current in ORDER_STATUSES and number is not None:
        said = t.gettext(CONFLICT).format(
            action=action, number=number, status=domain_labels.status(t, current)
        )
        return f"{said} {t.gettext(CONFIRM_FIRST)}" if current == OrderStatus.new else said
    if code == "not_found" and number is not None:
        return t.gettext(NOT_FOUND).format(number=number)
    fields = [f.get("field") for f in error.get("fields") or () if isinstance(f, Mapping)]
    if code == "validation_failed" and fields:
        return t.gettext(INVALID).format(fields=", ".join(dict.fromkeys(map(str, fields))))
    return t.gettext(OTHER).format(status=status, code=code or "—")
