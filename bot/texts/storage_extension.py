"""What the customer reads while extending a waiting parcel's free storage."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Final

from bot.domain.errors import N_
from bot.i18n import Translator

CURRENCY: Final = "UAH"  # the carriers Vykup acts through charge in hryvnias

# Why the managers got the task instead (bot.services.storage_extension.Fallback values).
FALLBACK: Final[Mapping[str, str]] = {
    "no_key": N_("We asked a manager to extend the storage; they will confirm it."),
    "not_possible": N_(
        "The carrier cannot extend the storage of this parcel. We asked a manager to help; "
        "they will contact you."
    ),
    "unavailable": N_(
        "The carrier is not answering right now. We asked a manager to extend the storage; "
        "they will confirm it."
    ),
}


def offer(last_free_day: date, cost: Decimal | None, t: Translator) -> str:
    lines = [
        t.gettext("🗓 The carrier can keep your parcel until <b>{day}</b>.").format(
            day=t.date(last_free_day)
        )
    ]
    if cost is None:
        lines.append(t.gettext("The carrier did not say what it costs."))
    elif cost == 0:
        lines.append(t.gettext("It is free of charge."))
    else:
        lines.append(
            t.gettext("It costs {cost}, paid at the branch when you pick up the parcel.").format(
                cost=t.money(cost, CURRENCY)
            )
        )
    lines.append(t.gettext("Shall we extend the storage?"))
    return "\n".join(lines)


def extended(last_free_day: date, t: Translator) -> str:
    return t.gettext("✅ Done: your parcel waits for you until <b>{day}</b>.").format(
        day=t.date(last_free_day)
    )


def declined(t: Translator) -> str:
    return t.gettext("All right, the storage stays as it is.")


def fallback(why: str, t: Translator) -> str:
    return t.gettext(FALLBACK[why])
