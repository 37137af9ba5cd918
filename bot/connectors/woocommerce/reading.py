"""Reading an untrusted WooCommerce JSON body: every wrong type or size is an InvalidInbound naming
the field (``billing.phone``, ``line_items[3].quantity``), never another exception."""

from __future__ import annotations

import html
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.connectors.base import InvalidInbound
from bot.domain.money import AmountProblem, amount_problem

JsonObject = dict[str, Any]


def as_object(value: Any, field: str) -> JsonObject:
    if not isinstance(value, dict):
        raise InvalidInbound(field, f"must be an object, not {type_name(value)}")
    return value


def as_list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInbound(field, f"must be a list, not {type_name(value)}")
    return value


def optional_object(parent: JsonObject, key: str, field: str) -> JsonObject:
    """``parent[key]`` as an object; absent or null is an empty one (a virtual order has no
    shipping address)."""
    value = parent.get(key)
    return {} if value is None else as_object(value, field)


def text(value: Any, field: str, max_length: int) -> str | None:
    """A trimmed single-line text with HTML entities decoded (WooCommerce stores ``&ndash;``);
    empty is None. Numbers are read as their digits (a phone typed into a numeric field)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInbound(field, f"must be a string, not {type_name(value)}")
    # Checked before decoding too, so that a huge body costs nothing more than its length.
    if len(str(value)) > max_length * 8:
        raise InvalidInbound(field, f"must have at most {max_length} characters")
    cleaned = " ".join(html.unescape(str(value)).split())
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise InvalidInbound(field, "must not contain control characters")
    if len(cleaned) > max_length:
        raise InvalidInbound(field, f"must have at most {max_length} characters")
    return cleaned or None


def money(value: Any, field: str) -> Decimal:
    """A WooCommerce amount: a decimal string (``"29.35"``), as its REST API writes every total."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInbound(
            field, f'must be a decimal string like "29.35", not {type_name(value)}'
        )
    raw = str(value).strip()
    if len(raw) > 32:
        raise InvalidInbound(field, "is not a decimal amount")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise InvalidInbound(field, f"{raw[:32]!r} is not a decimal amount") from None
    if not amount.is_finite():
        raise InvalidInbound(field, f"{raw!r} is not a decimal amount")
    problem = amount_problem(amount)
    if problem is AmountProblem.negative:
        raise InvalidInbound(field, f"must not be negative ({raw})")
    if problem is AmountProblem.too_large:
        raise InvalidInbound(field, f"is absurdly large ({raw})")
    # More than 2 decimals (a currency with 3, or rounding settings): rounded to the cent.
    return amount.quantize(Decimal("0.01"))


def whole_number(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInbound(field, f"must be a whole number, not {type_name(value)}")
    if not low <= value <= high:
        raise InvalidInbound(field, f"must be between {low} and {high}, not {value}")
    return value


def meta_value(meta_data: list[Any], key: str) -> Any:
    """The value of the last ``meta_data`` entry named ``key`` (WooCommerce appends; the last
    one written wins), or None. Entries that are not ``{key, value}`` objects are skipped: meta is
    whatever any plugin wrote."""
    found = None
    for entry in meta_data:
        if isinstance(entry, dict) and entry.get("key") == key:
            found = entry.get("value")
    return found


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)
