"""Why a queued Telegram message is sent, when the worker must know: ``outbox.purpose``.

Services write it with the message; the worker reads it to remember where a card went, and to
find the card an edit is for. A value is stored with messages still waiting, so it never changes.
"""

from __future__ import annotations

from enum import StrEnum


class MessagePurpose(StrEnum):
    order_card = "order_card"  # the customer's card with Confirm / Change / Cancel: remembered
    edit_order_card = "edit_order_card"  # re-renders that card, wherever it went
    return_card = "return_card"  # the managers' card of a return: remembered
    edit_return_card = "edit_return_card"  # re-renders that card
