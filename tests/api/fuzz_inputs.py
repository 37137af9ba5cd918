"""Steering schemathesis past what the OpenAPI document cannot say, so that it reaches deep code.

Generated requests that fit the document are still mostly refused with 422: no JSON schema says
what a phone number, an ISO 4217 code or a Nova Poshta waybill looks like, or which field a return
status needs. Left alone, the fuzzer would test little beyond validation. So some of the positive
cases are *fitted*: those fields get values the server accepts, the rest of the request stays as
generated (boundary lengths, odd Unicode, extreme amounts). And path parameters sometimes name
rows that exist (``fuzz_seed``). Negative cases are never touched: they must stay invalid.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.generation.meta import TestPhase

from bot.domain.returns import ReturnStatus
from bot.web.schemas import CENT, MAX_AMOUNT
from tests.api.fuzz_seed import DELIVERY_WAYBILL, RETURN_WAYBILL, SEEDED_NAMES

PHONES = ("+380501234567", "0671112233", "+48 601 234 567", "380931234567")
CURRENCIES = ("UAH", "usd", "EUR")
REASON = "Потрібне фото бирки"
# What a client may get wrong about a stored name: a NUL, a space, an invisible character.
NEAR_MISSES = ("\x00", " ", "\u200b")
RETURN_WAYBILLS = ("59000123456788", DELIVERY_WAYBILL, RETURN_WAYBILL, "5900 0123 4567 87")


@dataclass(frozen=True)
class Choice:
    """What to change in one case; drawn by hypothesis while fuzzing, derived from it otherwise."""

    fit: bool  # make the body (or query) acceptable
    # Index of a stored name for the path parameter; None keeps the generated one.
    seeded: int | None
    near_miss: int | None  # index of a suffix that makes the stored name name nothing
    number: int  # a source of digits for waybills and amounts


CHOICES = st.builds(
    Choice,
    fit=st.booleans(),
    seeded=st.none() | st.integers(min_value=0, max_value=15),
    near_miss=st.none() | st.integers(min_value=0, max_value=len(NEAR_MISSES) - 1),
    number=st.integers(min_value=0, max_value=10**13 - 1),
)


def is_positive(case: schemathesis.Case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode is schemathesis.GenerationMode.POSITIVE


def choice_for(case: schemathesis.Case) -> Choice:
    """A stable choice for cases that hypothesis did not draw (coverage, examples): from the case."""
    digest = zlib.crc32(
        repr((case.path_parameters, case.query, case.body)).encode("utf-8", "replace")
    )
    return Choice(
        fit=True,
        seeded=digest >> 1 & 15 if digest & 1 else None,
        near_miss=(digest >> 5) % len(NEAR_MISSES) if digest >> 8 & 3 == 0 else None,
        number=digest,
    )


def fitted(case: schemathesis.Case, choice: Choice) -> schemathesis.Case:
    """``case`` with the changes ``choice`` asks for; the case is changed in place."""
    if choice.seeded is not None and len(case.path_parameters) == 1:
        [(name, _)] = case.path_parameters.items()
        names = SEEDED_NAMES.get(name)
        if names:
            value = names[choice.seeded % len(names)]
            if choice.near_miss is not None:
                value += NEAR_MISSES[choice.near_miss]
            case.path_parameters = {name: value}
    fit = FITTERS.get((case.method.upper(), case.path))
    if choice.fit and fit is not None:
        fit(case, choice)
    return case


def register(schema: schemathesis.BaseSchema) -> None:
    """Fit positive cases on ``schema``: all in the coverage and examples phases, some in fuzzing."""

    @schema.hook
    def map_case(context: schemathesis.HookContext, case: schemathesis.Case) -> schemathesis.Case:
        meta = case.meta
        if not is_positive(case) or meta is None or meta.phase.name is TestPhase.FUZZING:
            return case
        return fitted(case, choice_for(case))

    @schema.hook
    def flatmap_case(context: schemathesis.HookContext, case: schemathesis.Case) -> Any:
        meta = case.meta
        if not is_positive(case) or meta is None or meta.phase.name is not TestPhase.FUZZING:
            return st.just(case)
        return CHOICES.map(lambda choice: fitted(case, choice))


# --- per operation -------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    """Control characters out of every string; a string left blank becomes ``x``."""
    if isinstance(value, str):
        kept = "".join(ch for ch in value if unicodedata.category(ch) != "Cc")
        return kept if kept.strip() else "x"
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def _amount(value: Any) -> Any:
    """The generated amount with two decimals at most (JSON schema has no word for that)."""
    try:
        amount = Decimal(str(value)) if isinstance(value, int | float | str) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or not 0 <= amount <= MAX_AMOUNT:
        return "450.00"
    return str(amount.quantize(CENT, rounding=ROUND_DOWN))


def _fit_order(case: schemathesis.Case, choice: Choice) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    body = _clean(body)
    if isinstance(body.get("customer"), dict):
        body["customer"]["phone"] = PHONES[choice.number % len(PHONES)]
    if "currency" in body:
        body["currency"] = CURRENCIES[choice.number % len(CURRENCIES)]
    if choice.number % 2:  # a new order, not a repeat of one stored before
        body["external_id"] = f"F-{choice.number}"
    if "total" in body:
        body["total"] = _amount(body["total"])
    for item in body.get("items") or ():
        if isinstance(item, dict):
            item["price"] = _amount(item.get("price"))
            if isinstance(item.get("quantity"), float):  # 2.0 is an integer to JSON schema
                item["quantity"] = int(item["quantity"])
    case.body = body


def _fit_texts(case: schemathesis.Case, choice: Choice) -> None:
    case.body = _clean(case.body)


def _fit_event(case: schemathesis.Case, choice: Choice) -> None:
    body = _clean(case.body)
    if isinstance(body, dict) and body.get("cod_amount") is not None:
        body["cod_amount"] = _amount(body["cod_amount"])
    case.body = body


def _waybill(carrier: str, number: int) -> str:
    digits = f"{number:013d}"
    if carrier == "nova_poshta":
        return "2" + digits
    if carrier == "ukrposhta":
        return digits
    return "W-" + digits


def _fit_shipment(case: schemathesis.Case, choice: Choice) -> None:
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("carrier"), str):
        case.body = {**body, "tracking_number": _waybill(body["carrier"], choice.number)}


def _fit_return_move(case: schemathesis.Case, choice: Choice) -> None:
    body = case.body
    if not isinstance(body, dict) or not isinstance(body.get("status"), str):
        return
    status = body["status"]
    fitted_body: dict[str, Any] = {"status": status}
    if status in ("rejected", "info_requested") or isinstance(body.get("comment"), str):
        fitted_body["comment"] = _clean(body.get("comment") or REASON)
    if status == "refunded":
        fitted_body["refund_amount"] = f"{choice.number % 100_000 / 100:.2f}"
    if status == "shipped":
        fitted_body["waybill"] = RETURN_WAYBILLS[choice.number % len(RETURN_WAYBILLS)]
    case.body = fitted_body


def _fit_return_list(case: schemathesis.Case, choice: Choice) -> None:
    picked = [status for index, status in enumerate(ReturnStatus) if choice.number >> index & 1]
    query = {key: value for key, value in case.query.items() if key == "limit"}
    if picked:
        query["status"] = ",".join(picked)
    case.query = query


FITTERS: Mapping[tuple[str, str], Callable[[schemathesis.Case, Choice], None]] = {
    ("POST", "/api/v1/orders"): _fit_order,
    ("POST", "/api/v1/orders/{external_id}/status"): _fit_texts,
    ("POST", "/api/v1/orders/{external_id}/shipment"): _fit_shipment,
    ("POST", "/api/v1/shipments/{tracking_number}/events"): _fit_event,
    ("POST", "/api/v1/returns/{number}/status"): _fit_return_move,
    ("GET", "/api/v1/returns"): _fit_return_list,
}
