"""A domain error as the person reads it: its message in their language, the values it carries
(an order's status, an amount) written as their language writes them."""

from __future__ import annotations

from typing import Any

from bot.domain.errors import DomainError
from bot.domain.money import Money
from bot.domain.orders import OrderStatus
from bot.i18n import Translator
from bot.texts import labels


def explain(t: Translator, error: DomainError) -> str:
    params = {name: _shown(t, value) for name, value in error.params.items()}
    return t.gettext(error.message_key).format(**params)


def _shown(t: Translator, value: Any) -> Any:
    if isinstance(value, OrderStatus):
        return labels.status(t, value)
    if isinstance(value, Money):
        return t.money(value.amount, value.currency)
    return value
