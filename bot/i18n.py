"""Translations from the gettext catalogs in ``locales/``, plus Babel formatting of money and dates.

Catalogs are compiled from the ``.po`` files when the bot starts, so there is no build step and
no binary ``.mo`` files in the repository. ``locales`` is a package (package data in the wheel), so
an installed Vykup finds them too; a catalog that is missing or broken raises :class:`CatalogError`
at once: a bot that silently spoke English message ids would look like it works.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_currency, format_decimal, get_currency_symbol
from babel.support import NullTranslations, Translations

from bot.domain.languages import Language

DOMAIN = "messages"
BABEL_LOCALES = {Language.uk: "uk_UA", Language.ru: "ru_UA", Language.en: "en"}
CODE_AFTER = "#,##0.00\xa0¤"  # a currency code reads after the amount: "1,200.00 UAH"


@dataclass(frozen=True)
class Translator:
    """Everything one language needs: gettext, plurals, money and dates."""

    language: Language
    translations: NullTranslations
    timezone: ZoneInfo

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def money(self, amount: Decimal, currency: str) -> str:
        """As the language writes it; a bare code is never glued in front ("UAH1,200.00", as
        Babel writes hryvnias in English): it goes after the amount instead."""
        locale = BABEL_LOCALES[self.language]
        shown = format_currency(amount, currency, locale=locale)
        symbol = get_currency_symbol(currency, locale)
        if symbol.isalpha() and shown.lstrip("-").startswith(symbol):
            return format_currency(amount, currency, format=CODE_AFTER, locale=locale)
        return shown

    def number(self, value: Decimal) -> str:
        """A plain number as the language writes it ("1,5" in Ukrainian)."""
        return format_decimal(value, locale=BABEL_LOCALES[self.language])

    def date(self, day: date) -> str:
        return format_date(day, "d MMMM", locale=BABEL_LOCALES[self.language])

    def datetime(self, moment: datetime) -> str:
        local = moment.astimezone(self.timezone)
        return format_datetime(local, "d MMM yyyy, HH:mm", locale=BABEL_LOCALES[self.language])


class Catalogs:
    """One translator per supported language, loaded once at start."""

    def __init__(self, timezone: ZoneInfo, locales_dir: Traversable | None = None) -> None:
        locales_dir = locales_dir or resources.files("locales")
        self._translators = {
            language: Translator(language, _load(locales_dir, language), timezone)
            for language in Language
        }

    def __call__(self, language: Language | str) -> Translator:
        return self._translators[Language(language)]


class CatalogError(Exception):
    """A catalog is missing or cannot be parsed: the message names the file."""


def _load(locales_dir: Traversable, language: Language) -> NullTranslations:
    po_path = locales_dir / language.value / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.is_file():
        raise CatalogError(f"{po_path}: not found")
    try:
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=language.value, abort_invalid=True)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
    except (PoFileError, ValueError, UnicodeDecodeError) as error:
        raise CatalogError(f"{po_path}: {error}") from None
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)
