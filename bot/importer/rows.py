"""One row of a past-orders file, checked: a :class:`HistoricalOrder`, or :class:`BadRow` saying why not.

Pure: no I/O. Every problem of a row is reported at once, each naming its column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Final, NamedTuple, TypeVar

from bot.domain.feedback import RefusalReason
from bot.domain.money import (
    AmountProblem,
    CurrencyProblem,
    InvalidCurrency,
    amount_problem,
    cents,
    normalise_currency,
)
from bot.domain.new_order import CITY_LENGTH, EXTERNAL_ID_LENGTH, NAME_LENGTH
from bot.domain.orders import Carrier, OrderStatus, Payment
from bot.domain.phones import InvalidPhone, normalise_phone

COLUMNS: Final = (  # in the order the README lists them
    "external_id",
    "phone",
    "name",
    "status",
    "created_at",
    "finished_at",
    "confirmed_at",
    "total",
    "currency",
    "payment",
    "carrier",
    "city",
    "refusal_reason",
    "comment",
)
REQUIRED: Final = ("external_id", "phone", "name", "status", "created_at", "total")

OUTCOMES: Final = (
    OrderStatus.received,
    OrderStatus.refused,
    OrderStatus.returned,
    OrderStatus.cancelled,
)
REFUSALS: Final = frozenset({OrderStatus.refused, OrderStatus.returned})

MAX_COMMENT = 1000  # as much of a comment as the bot keeps from a customer
SHOWN = 40  # characters of a bad value quoted in a message

E = TypeVar("E", bound=StrEnum)


class BadRow(ValueError):
    """The row cannot be imported; ``reason`` names every column at fault and what is wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Problem(Exception):
    """One column's problem, collected into a :class:`BadRow`."""


@dataclass(frozen=True)
class HistoricalOrder:
    """A past order and how it ended. Times are in UTC; the phone is E.164."""

    external_id: str
    phone: str
    name: str
    status: OrderStatus
    created_at: datetime
    finished_at: datetime
    confirmed_at: datetime | None
    total: Decimal
    currency: str = "UAH"
    payment: Payment = Payment.cod
    carrier: Carrier = Carrier.nova_poshta
    city: str = ""
    refusal_reason: RefusalReason | None = None
    comment: str | None = None


class RowParser:
    """Checks rows; naive times are in ``tz``, and nothing may have happened after ``now``."""

    def __init__(self, tz: tzinfo, now: datetime) -> None:
        self._tz = tz
        self._now = now
        self._phones: dict[str, str] = {}  # the same customer's phone comes again and again
        # Each column: how its text is checked and turned into a value (built once, not per row).
        self._checks: dict[str, Callable[[str], object]] = {
            "external_id": _limited("external_id", EXTERNAL_ID_LENGTH),
            "phone": self._phone,
            "name": _limited("name", NAME_LENGTH),
            "status": _status,
            "created_at": self._moment("created_at"),
            "finished_at": self._moment("finished_at"),
            "confirmed_at": self._moment("confirmed_at"),
            "total": _total,
            "currency": _currency,
            "payment": _choice("payment", Payment),
            "carrier": _choice("carrier", Carrier),
            "city": _limited("city", CITY_LENGTH),
            "refusal_reason": _choice("refusal_reason", RefusalReason),
            "comment": lambda raw: raw[:MAX_COMMENT],
        }

    def parse(self, record: object) -> HistoricalOrder:
        if not isinstance(record, Mapping):
            raise BadRow("not an object with the order's columns")
        problems: list[str] = []
        values: dict[str, Any] = {}
        broken: set[str] = set()
        for column, check in self._checks.items():
            try:
                raw = _text(record.get(column), column)
                if raw is not None:
                    values[column] = check(raw)
                elif column in REQUIRED:
                    problems.append(f"{column} is missing")
            except _Problem as problem:
                problems.append(str(problem))
                broken.add(column)
        get = values.get
        status: OrderStatus | None = get("status")
        created: _Moment | None = get("created_at")
        finished: _Moment | None = get("finished_at")
        confirmed: _Moment | None = get("confirmed_at")
        reason: RefusalReason | None = get("refusal_reason")

        if reason is not None and status is not None and status not in REFUSALS:
            problems.append("refusal_reason is only for refused or returned orders")
        finished_at = confirmed_at = None
        if created is not None:
            finished_at = created.at
            if finished is not None:
                finished_at = _not_before(finished, created, "finished_at", problems)
            if confirmed is not None:
                confirmed_at = _not_before(confirmed, created, "confirmed_at", problems)
            late = confirmed_at and finished_at and confirmed_at > finished_at
            if late and "finished_at" not in broken:
                problems.append("confirmed_at is after finished_at")
        if problems:
            raise BadRow("; ".join(problems))
        assert status is not None and created is not None and finished_at is not None
        keeps_comment = status in REFUSALS or status is OrderStatus.cancelled
        return HistoricalOrder(
            external_id=values["external_id"],
            phone=values["phone"],
            name=values["name"],
            status=status,
            # In UTC, as they are stored: converted once here rather than at every insert.
            created_at=created.at.astimezone(UTC),
            finished_at=finished_at.astimezone(UTC),
            confirmed_at=confirmed_at.astimezone(UTC) if confirmed_at else None,
            total=values["total"],
            currency=get("currency", "UAH"),
            payment=get("payment", Payment.cod),
            carrier=get("carrier", Carrier.nova_poshta),
            city=get("city", ""),
            refusal_reason=reason,
            # A received order has nowhere to keep a comment: it is not imported.
            comment=get("comment") if keeps_comment else None,
        )

    def _phone(self, raw: str) -> str:
        known = self._phones.get(raw)
        if known is not None:
            return known
        try:
            phone = normalise_phone(raw)
        except InvalidPhone:
            raise _Problem(f"invalid phone {_show(raw)}") from None
        self._phones[raw] = phone
        return phone

    def _moment(self, column: str) -> Callable[[str], _Moment]:
        def check(raw: str) -> _Moment:
            try:
                if len(raw) <= len("2024-03-01") and ":" not in raw:
                    at = datetime.combine(date.fromisoformat(raw), time(), self._tz)
                    moment = _Moment(at, date_only=True)
                else:
                    at = datetime.fromisoformat(raw)
                    moment = _Moment(at if at.tzinfo else at.replace(tzinfo=self._tz), False)
            except ValueError:
                raise _Problem(
                    f"{column} {_show(raw)} is not an ISO date or date and time"
                    " (like 2024-03-01 or 2024-03-01T14:30)"
                ) from None
            if moment.at > self._now:
                raise _Problem(f"{column} {_show(raw)} is in the future")
            return moment

        return check


class _Moment(NamedTuple):
    at: datetime
    date_only: bool  # "2024-03-01": some time that day


def _not_before(
    later: _Moment, created: _Moment, name: str, problems: list[str]
) -> datetime | None:
    """``later`` unless it is before ``created``; a bare date on ``created``'s day is ``created``."""
    if later.at >= created.at:
        return later.at
    if later.date_only and later.at.date() == created.at.astimezone(later.at.tzinfo).date():
        return created.at
    problems.append(f"{name} is before created_at")
    return None


def _text(value: object, column: str) -> str | None:
    """The cell as stripped text; empty is missing. JSON numbers are welcome, objects are not."""
    if type(value) is str:
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _Problem(f"{column} must be text or a number")
    return str(value).strip() or None


def _show(raw: str) -> str:
    return repr(raw if len(raw) <= SHOWN else raw[: SHOWN - 1] + "…")


def _limited(column: str, limit: int) -> Callable[[str], str]:
    def check(raw: str) -> str:
        if len(raw) > limit:
            raise _Problem(f"{column} is longer than {limit} characters")
        return raw

    return check


_OUTCOME_BY_VALUE: Final = {status.value: status for status in OUTCOMES}


def _status(raw: str) -> OrderStatus:
    status = _OUTCOME_BY_VALUE.get(raw.lower())
    if status is None:
        allowed = ", ".join(OUTCOMES)
        raise _Problem(f"status {_show(raw)} is not an outcome: use one of {allowed}")
    return status


def _choice(column: str, enum: type[E]) -> Callable[[str], E]:
    by_value = {member.value: member for member in enum}

    def check(raw: str) -> E:
        member = by_value.get(raw.lower())
        if member is None:
            raise _Problem(f"{column} {_show(raw)} is not one of {', '.join(by_value)}")
        return member

    return check


def _currency(raw: str) -> str:
    try:
        return normalise_currency(raw)
    except InvalidCurrency as exc:
        if exc.problem is CurrencyProblem.unknown:
            raise _Problem(f"currency {_show(raw)} is not an ISO 4217 code like UAH") from None
        raise _Problem(f"currency {_show(raw)} is not a 3-letter code like UAH") from None


def _total(raw: str) -> Decimal:
    text = "".join(raw.split())  # "1 250,50": spaces (also no-break ones) group thousands
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise _Problem(f"total {_show(raw)} is not a number")
    problem = amount_problem(value)
    if problem is not None:
        raise _Problem(_AMOUNT_PROBLEMS[problem].format(raw=_show(raw)))
    return cents(value)


_AMOUNT_PROBLEMS: Final = {
    AmountProblem.negative: "total is negative",
    AmountProblem.too_large: "total is too large",
    AmountProblem.too_precise: "total {raw} has more than 2 decimal places",
}
