"""Returns: their statuses and moves, reasons, what the customer asks for, and who may return what.

Pure rules, no I/O. The window follows Ukrainian consumer law as shops apply it: ``window_days``
counted from the day after receipt, so a parcel received on 1 November may be returned through
15 November with the default 14.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from stdnum import iban as iban_rules
from stdnum.exceptions import ValidationError as IbanError

from bot.domain.errors import N_, DomainError


class ReturnStatus(StrEnum):
    requested = "requested"  # waiting for a manager
    info_requested = "info_requested"  # a manager asked the customer something
    approved = "approved"  # the customer is to send it back
    shipped = "shipped"  # the customer gave the return waybill
    received = "received"  # the parcel is back at the shop
    accepted = "accepted"  # inspected: OK, the refund is due
    refunded = "refunded"
    rejected = "rejected"  # by a manager, before or after inspection
    cancelled = "cancelled"  # by the customer


R = ReturnStatus
RETURN_MOVES: Final[Mapping[ReturnStatus, frozenset[ReturnStatus]]] = {
    R.requested: frozenset({R.approved, R.rejected, R.info_requested, R.cancelled}),
    R.info_requested: frozenset({R.requested, R.approved, R.rejected, R.cancelled}),
    R.approved: frozenset({R.shipped, R.received, R.cancelled}),
    R.shipped: frozenset({R.received}),
    R.received: frozenset({R.accepted, R.rejected}),
    R.accepted: frozenset({R.refunded}),
    R.refunded: frozenset(),
    R.rejected: frozenset(),
    R.cancelled: frozenset(),
}
FINAL_RETURN: Final = frozenset(status for status, moves in RETURN_MOVES.items() if not moves)
# A return in one of these holds its items: they cannot be asked for again meanwhile.
HOLDS_ITEMS: Final = frozenset(RETURN_MOVES) - {R.rejected, R.cancelled}
# Not finished yet: an item in one of these cannot be asked for in another request meanwhile.
OPEN_RETURN: Final = frozenset(RETURN_MOVES) - FINAL_RETURN
# Waiting on a manager: re-announced after RETURN_REVIEW_SLA.
WAITING_ON_MANAGER: Final = frozenset({R.requested, R.received, R.accepted})


class IllegalReturnMove(DomainError):
    message_key = N_("This return is already {status}; nothing was changed.")
    code = "illegal_return_move"

    def __init__(self, current: ReturnStatus, target: ReturnStatus) -> None:
        self.current = current
        self.target = target
        super().__init__(status=current.value)


def check_return_move(current: ReturnStatus, target: ReturnStatus) -> None:
    if target not in RETURN_MOVES[current]:
        raise IllegalReturnMove(current, target)


class ReturnReason(StrEnum):
    """Values are short: they travel in callback data."""

    wrong_size = "size"
    defective = "defect"
    damaged = "damaged"
    not_as_described = "differs"
    wrong_item = "wrong"
    changed_mind = "mind"
    other = "other"


DEFAULT_REASONS: Final = tuple(ReturnReason)
DEFAULT_PHOTO_REASONS: Final = frozenset(
    {
        ReturnReason.defective,
        ReturnReason.damaged,
        ReturnReason.not_as_described,
        ReturnReason.wrong_item,
    }
)
MAX_PHOTOS: Final = 5


class Resolution(StrEnum):
    refund_original = "orig"  # back to the card the order was paid with: prepaid orders only
    refund_iban = "iban"
    store_credit = "credit"
    exchange = "exchange"


def resolutions_for(prepaid: bool) -> tuple[Resolution, ...]:
    if prepaid:
        return tuple(Resolution)
    return tuple(
        resolution for resolution in Resolution if resolution is not Resolution.refund_original
    )


@dataclass(frozen=True)
class ReturnRules:
    """``RETURN_*`` settings."""

    window_days: int = 14
    reasons: tuple[ReturnReason, ...] = DEFAULT_REASONS
    photo_reasons: frozenset[ReturnReason] = DEFAULT_PHOTO_REASONS
    review_sla: timedelta = timedelta(hours=24)

    def needs_photos(self, reason: ReturnReason) -> bool:
        return reason in self.photo_reasons

    def last_day(self, received_on: date) -> date:
        return received_on + timedelta(days=self.window_days)

    def window_open(self, received_on: date, today: date) -> bool:
        return today <= self.last_day(received_on)


def parse_reasons(text: str) -> tuple[ReturnReason, ...]:
    """``size,defect,mind`` (names or values) → reasons, in that order; ``other`` always last."""
    chosen: list[ReturnReason] = []
    for part in (piece.strip().lower() for piece in text.split(",")):
        if not part:
            continue
        reason = _reason(part)
        if reason not in chosen:
            chosen.append(reason)
    if not chosen:
        raise ValueError("name at least one return reason")
    if ReturnReason.other in chosen:
        chosen.remove(ReturnReason.other)
    return (*chosen, ReturnReason.other)


def _reason(text: str) -> ReturnReason:
    by_name = {reason.name: reason for reason in ReturnReason}
    if text in by_name:
        return by_name[text]
    try:
        return ReturnReason(text)
    except ValueError:
        names = ", ".join(reason.name for reason in ReturnReason)
        raise ValueError(f"unknown return reason {text!r}; use {names}") from None


# --- what may be returned ------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLine:
    """One line of an order, with what is already being returned from it."""

    item_id: int
    name: str
    bought: int
    returnable: bool
    in_returns: int = 0  # in returns that hold items (all but rejected and cancelled ones)
    in_open_return: bool = False  # one open return per item at a time

    @property
    def available(self) -> int:
        if not self.returnable or self.in_open_return:
            return 0
        return max(0, self.bought - self.in_returns)


class QuantityTooLarge(DomainError):
    message_key = N_("Only {available} of “{name}” can be returned.")
    code = "quantity_too_large"


class NotReturnable(DomainError):
    message_key = N_("“{name}” cannot be returned.")
    code = "not_returnable"


class NothingChosen(DomainError):
    message_key = N_("Choose at least one item to return.")
    code = "nothing_chosen"


def check_quantities(lines: Sequence[ItemLine], chosen: Mapping[int, int]) -> None:
    """Every chosen quantity is positive and within what is still returnable."""
    by_id = {line.item_id: line for line in lines}
    if not any(quantity > 0 for quantity in chosen.values()):
        raise NothingChosen()
    for item_id, quantity in chosen.items():
        line = by_id.get(item_id)
        if line is None or quantity < 0:
            raise NothingChosen()
        if quantity and not line.returnable:
            raise NotReturnable(name=line.name)
        if quantity > line.available:
            raise QuantityTooLarge(available=line.available, name=line.name)


# --- bank details -------------------------------------------------------------------------------

IBAN_LENGTH_UA: Final = 29


class IbanProblem(StrEnum):
    not_ukrainian = "country"
    wrong_length = "length"
    wrong_checksum = "checksum"
    bad_characters = "characters"


def check_iban(text: str) -> tuple[str | None, IbanProblem | None]:
    """(the compact IBAN, None) when valid; (None, what is wrong) otherwise. Ukrainian only."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if not compact.startswith("UA"):
        return None, IbanProblem.not_ukrainian
    if not compact.isalnum() or not compact.isascii():
        return None, IbanProblem.bad_characters
    if len(compact) != IBAN_LENGTH_UA:
        return None, IbanProblem.wrong_length
    try:
        return iban_rules.validate(compact), None
    except IbanError:
        return None, IbanProblem.wrong_checksum


def mask_iban(iban: str) -> str:
    """``UA21 **** 6001``: enough for the customer to recognise their account."""
    return f"{iban[:4]} **** {iban[-4:]}" if len(iban) > 8 else "****"


RETURN_NUMBER: Final = re.compile(r"R-?(\d{1,12})", re.IGNORECASE | re.ASCII)
# Return ids are 32-bit integers in storage (PostgreSQL refuses a larger one with an error).
MAX_RETURN_ID: Final = 2**31 - 1


def return_number(return_id: int) -> str:
    return f"R-{return_id:06d}"


def parse_return_number(text: str) -> int | None:
    """``R-000123`` (or ``r123``) → 123; None when it is not exactly a return number (spaces
    around it included), or one too large to name any return."""
    match = RETURN_NUMBER.fullmatch(text)
    if match is None:
        return None
    return_id = int(match.group(1))
    return return_id if return_id <= MAX_RETURN_ID else None
