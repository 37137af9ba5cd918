"""Which language a customer hears."""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    uk = "uk"
    ru = "ru"
    en = "en"


SUPPORTED: frozenset[str] = frozenset(lang.value for lang in Language)


def supported(code: str | None) -> Language | None:
    """Map a Telegram ``language_code`` such as ``uk`` or ``en-GB`` to a supported language."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return Language(base) if base in SUPPORTED else None


def resolve_language(
    *,
    chosen: str | None,
    order_language: str | None,
    telegram_language: str | None,
    default: Language,
) -> Language:
    """The customer's explicit choice (/language) wins, then the order's, then Telegram's."""
    for candidate in (chosen, order_language, telegram_language):
        lang = supported(candidate)
        if lang is not None:
            return lang
    return default
