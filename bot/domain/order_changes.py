"""What a repeated order differs in from the stored one.

The shop may resend an order (a retry after a timeout): the same body is the same order. A
different body under the same ``external_id`` is a change the intake endpoint cannot make, and
must not pretend to; the API names the fields so that the shop can tell a typo from a retry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from bot.domain.errors import DomainError

ITEMS: Final = "items"


def changed_fields(
    sent: Mapping[str, object],
    stored: Mapping[str, object],
    sent_items: Sequence[Mapping[str, object]],
    stored_items: Sequence[Mapping[str, object]],
) -> tuple[str, ...]:
    """Dotted names of the fields that differ, in the order they were sent.

    Items are compared one by one (``items.0.price``); a different number of items is ``items``.
    """
    found = [name for name in sent if sent[name] != stored.get(name)]
    if len(sent_items) != len(stored_items):
        found.append(ITEMS)
    else:
        for index, (mine, theirs) in enumerate(zip(sent_items, stored_items, strict=True)):
            found += [f"{ITEMS}.{index}.{name}" for name in mine if mine[name] != theirs.get(name)]
    return tuple(found)


class OrderExistsWithDifferentData(DomainError):
    """The ``external_id`` is taken by an order with other contents; nothing was changed."""

    # Only the shop's API shows it (in English, with the fields): not a chat message.
    message_key = "Order {external_id} already exists with different data"
    code = "order_exists_with_different_data"

    def __init__(self, external_id: str, fields: tuple[str, ...]) -> None:
        self.external_id = external_id
        self.fields = fields
        super().__init__(external_id=external_id)
