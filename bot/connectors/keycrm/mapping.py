"""What Vykup's events do to a KeyCRM order by default, and how defaults are found in an account.

KeyCRM's status ids are the account's own (``GET /order/status``), so the connector's static
default for every event is ``""``: a note in ``manager_comment`` and no status change. ``connect``
reads the account's statuses and proposes ids for the events below by the statuses' ``alias`` and
``name`` (:data:`STATUS_WORDS`); the owner may override any of them with ``--map <event>=<id>``.

A mapping value is one of:

- ``""``: only the note;
- ``"<status id>"`` (digits): move the order to that status, and the note;
- ``"tag:<tag id>"``: attach that tag (``POST /order/{id}/tag/{tagId}``), and the note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.domain.shop_events import ShopEvent

E = ShopEvent

# Every event a shop hears gets at least a note on the KeyCRM order; none changes a status until
# the account's ids are known (registration) or given (--map).
DEFAULT_MAPPING: Final[Mapping[ShopEvent, str]] = {event: "" for event in ShopEvent}

# Words that name a status meant for an event, in the status's alias or name (lower case, any of
# uk/ru/en; a match anywhere in the text). KeyCRM documents no aliases for user statuses, so
# these are the words shops commonly give them; the first status (by position in KeyCRM's list)
# that matches wins. Illustrative, not exhaustive: --map covers the rest.
STATUS_WORDS: Final[Mapping[ShopEvent, tuple[str, ...]]] = {
    E.order_confirmed: ("confirm", "підтвердж", "подтвержд"),
    E.order_cancelled: ("cancel", "скасов", "отмен", "відмін", "відмов", "отказ"),
    E.order_on_hold: ("on_hold", "hold", "відклад", "отлож", "очікує рішення", "пауза"),
    E.order_prepayment_required: ("prepay", "передоплат", "предоплат", "очікує оплат"),
    E.order_customer_unreachable: ("unreachable", "недодзвон", "недозвон", "не додзвон"),
}

# The word that marks the group of cancelled statuses: the group of the status chosen for
# order.cancelled. Every active status of that group means "cancelled" when read back.
CANCELLED_EVENT: Final = E.order_cancelled


@dataclass(frozen=True)
class Target:
    """What one mapping value asks: a status, a tag, or neither (only the note)."""

    status_id: int | None = None
    tag_id: int | None = None


class InvalidTarget(ValueError):
    """A mapping value that is neither "", digits nor ``tag:<digits>``."""


def parse_target(value: str) -> Target:
    """``"12"`` → status 12; ``"tag:3"`` → tag 3; ``""`` → nothing but the note."""
    text = value.strip()
    if not text:
        return Target()
    if text.isascii() and text.isdigit():
        return Target(status_id=int(text))
    if text.startswith("tag:") and text[4:].isascii() and text[4:].isdigit():
        return Target(tag_id=int(text[4:]))
    raise InvalidTarget(f"{value!r} is neither a KeyCRM status id nor tag:<id>")
