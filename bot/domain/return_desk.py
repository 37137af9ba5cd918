"""The managers' desk for returns: which steps a return's card offers, where each leads, amounts.

Pure rules, no I/O. A step is offered only in the statuses whose card shows its button, so a
stale button (pressed on a card that has moved on) is refused even where the status table alone
would allow the move (a "Reject" left from review must not reject after inspection).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

from bot.domain.errors import N_, DomainError
from bot.domain.returns import ReturnStatus

R = ReturnStatus


class DeskStep(StrEnum):
    approve = "approve"
    reject = "reject"  # before the parcel is sent: asks a reason
    ask = "ask"  # asks the customer a question
    arrived = "arrived"  # the parcel is back at the shop
    inspected_ok = "inspected_ok"
    inspected_bad = "inspected_bad"  # asks a reason
    refunded = "refunded"  # asks the amount


STEP_TARGET: Final[Mapping[DeskStep, ReturnStatus]] = {
    DeskStep.approve: R.approved,
    DeskStep.reject: R.rejected,
    DeskStep.ask: R.info_requested,
    DeskStep.arrived: R.received,
    DeskStep.inspected_ok: R.accepted,
    DeskStep.inspected_bad: R.rejected,
    DeskStep.refunded: R.refunded,
}

# The buttons on the card, row by row, in each status.
CARD_ROWS: Final[Mapping[ReturnStatus, tuple[tuple[DeskStep, ...], ...]]] = {
    R.requested: ((DeskStep.approve, DeskStep.reject), (DeskStep.ask,)),
    R.info_requested: ((DeskStep.approve, DeskStep.reject),),
    R.approved: ((DeskStep.arrived,),),
    R.shipped: ((DeskStep.arrived,),),
    R.received: ((DeskStep.inspected_ok,), (DeskStep.inspected_bad,)),
    R.accepted: ((DeskStep.refunded,),),
}

# Steps that need the manager's words (the customer reads them) or an amount.
NEEDS_TEXT: Final = frozenset({DeskStep.reject, DeskStep.ask, DeskStep.inspected_bad})
NEEDS_AMOUNT: Final = frozenset({DeskStep.refunded})

MAX_NOTE: Final = 1000  # characters of a reason, a question or an answer that are kept


def offered(status: ReturnStatus) -> frozenset[DeskStep]:
    return frozenset(step for row in CARD_ROWS.get(status, ()) for step in row)


class StaleStep(DomainError):
    message_key = N_(
        "This button no longer applies: return {number} has moved on. The card shows where it is."
    )
    code = "stale_step"


class NoteMissing(DomainError):
    message_key = N_("Please write it in words: the customer will read it.")
    code = "note_missing"


class AmountOutOfRange(DomainError):
    message_key = N_("The refund must be more than 0 and at most {total}.")
    code = "amount_out_of_range"


def check_step(status: ReturnStatus, step: DeskStep, number: str) -> ReturnStatus:
    """Where ``step`` leads from ``status``; StaleStep when the card in this status lacks it."""
    if step not in offered(status):
        raise StaleStep(number=number)
    return STEP_TARGET[step]


def clean_note(text: str | None) -> str:
    """A manager's or customer's words as kept: trimmed, at most MAX_NOTE characters."""
    value = (text or "").strip()
    if not value:
        raise NoteMissing()
    return value[:MAX_NOTE]


_CURRENCY_WORDS = re.compile(r"(₴|грн\.?|uah|hrn)$", re.IGNORECASE)
_AMOUNT = re.compile(r"^\d{1,10}(?:[.,]\d{1,2})?$")
CENT: Final = Decimal("0.01")


def parse_amount(text: str) -> Decimal | None:
    """``450``, ``450.5``, ``1 250,50 грн`` → Decimal with two places; None when it is not one."""
    compact = re.sub(r"\s", "", text or "")
    compact = _CURRENCY_WORDS.sub("", compact)
    if not _AMOUNT.match(compact):
        return None
    try:
        return Decimal(compact.replace(",", ".")).quantize(CENT)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None


def check_amount(amount: Decimal, limit: Decimal) -> bool:
    return Decimal(0) < amount <= limit
