"""Typed reads from an untrusted JSON object; every refusal names the field's path.

Shopify sends ``null`` for many absent things (``shipping_address`` of a digital order,
``customer_locale``), so optional reads treat ``null`` and a missing key alike; a value of the
wrong type is refused rather than guessed at.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from bot.connectors.base import InvalidInbound
from bot.domain.money import amount_problem

# Longer than any real value (a title, an address line); a longer one is junk, not a name.
MAX_TEXT: Final = 1000


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


class Obj:
    """A JSON object at ``path`` (``""`` for the body itself)."""

    def __init__(self, data: Mapping[str, Any], path: str = "") -> None:
        self.data = data
        self.path = path

    def where(self, key: str | int) -> str:
        return _path(self.path, key)

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def obj(self, key: str) -> Obj | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise InvalidInbound(self.where(key), "must be an object")
        return Obj(value, self.where(key))

    def objs(self, key: str) -> list[Obj]:
        """A list of objects; missing or null is an empty list."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise InvalidInbound(self.where(key), "must be a list")
        found: list[Obj] = []
        for index, item in enumerate(value):
            where = _path(self.where(key), index)
            if not isinstance(item, dict):
                raise InvalidInbound(where, "must be an object")
            found.append(Obj(item, where))
        return found

    def text(self, key: str, *, max_length: int = MAX_TEXT) -> str | None:
        """A trimmed string, or None when missing, null or blank."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InvalidInbound(self.where(key), "must be a string")
        text = value.strip()
        if len(text) > max_length:
            raise InvalidInbound(self.where(key), f"must have at most {max_length} characters")
        if any(unicodedata.category(ch) == "Cc" for ch in text):
            raise InvalidInbound(self.where(key), "must not contain control characters")
        return text or None

    def required_text(self, key: str, *, max_length: int = MAX_TEXT) -> str:
        text = self.text(key, max_length=max_length)
        if text is None:
            raise InvalidInbound(self.where(key), "is required")
        return text

    def texts(self, key: str) -> list[str]:
        """A list of strings (``payment_gateway_names``); missing or null is empty."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInbound(self.where(key), "must be a list of strings")
        if len(value) > 100:
            raise InvalidInbound(self.where(key), "must have at most 100 entries")
        return [v.strip() for v in value]

    def whole(self, key: str, *, minimum: int, maximum: int) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInbound(self.where(key), "must be a whole number")
        if not minimum <= value <= maximum:
            raise InvalidInbound(self.where(key), f"must be from {minimum} to {maximum}")
        return value

    def amount(self, key: str) -> Decimal | None:
        """Money as Shopify writes it: a decimal string (``"199.00"``); a JSON number is read
        too. Negative, too large or finer than a cent is refused, as the shop API refuses it."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise InvalidInbound(self.where(key), "must be a decimal amount")
        if isinstance(value, str) and len(value) > 32:
            raise InvalidInbound(self.where(key), "must be a decimal amount")
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise InvalidInbound(self.where(key), "must be a decimal amount") from None
        if not amount.is_finite():
            raise InvalidInbound(self.where(key), "must be a decimal amount")
        problem = amount_problem(amount)
        if problem is not None:
            raise InvalidInbound(self.where(key), f"is not a valid amount ({problem.value})")
        return amount + 0

    def timestamp(self, key: str) -> datetime | None:
        """ISO 8601 with an offset (``2008-01-10T11:00:00-05:00``)."""
        text = self.text(key, max_length=64)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInbound(self.where(key), "must be an ISO 8601 timestamp") from None
        if moment.tzinfo is None:
            raise InvalidInbound(self.where(key), "must carry an offset")
        return moment
