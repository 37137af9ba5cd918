"""Which text a customer gets: the shop's override for their category and language, the shop's
override for their language, or the built-in translated text — in that order."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from bot.domain.categories import Category
from bot.domain.languages import Language
from bot.i18n import Translator
from bot.texts.escaping import escape
from bot.texts.templates.builtin import BUILTIN
from bot.texts.templates.keys import PLACEHOLDERS, PLAIN_KEYS, Address, TemplateKey


class Templates:
    """The shop's overrides, already validated (see ``load_templates``); empty = built-ins only."""

    def __init__(
        self, overrides: Mapping[Address, str] | None = None, source: Path | None = None
    ) -> None:
        self._overrides = dict(overrides or {})
        self.source = source

    def __len__(self) -> int:
        return len(self._overrides)

    def __iter__(self) -> Iterator[Address]:
        return iter(self._overrides)

    def lookup(
        self, key: TemplateKey, language: Language | str, category: Category | None
    ) -> tuple[Address, str] | None:
        """The override that applies, with where it lives in the file; None: the built-in text."""
        candidates = [Address(key, None, Language(language))]
        if category is not None:
            candidates.insert(0, Address(key, category, Language(language)))
        for address in candidates:
            text = self._overrides.get(address)
            if text is not None:
                return address, text
        return None

    def render(
        self,
        key: TemplateKey,
        language: Language | str,
        category: Category | None,
        values: Mapping[str, str],
        t: Translator,
    ) -> str:
        """The text with ``values`` (plain text, escaped here for Telegram's HTML; as they are for
        the plain texts that leave Telegram) in place; missing values are ''."""
        plain = key in PLAIN_KEYS
        escaped = {
            name: (values.get(name) or "") if plain else escape(values.get(name) or "")
            for name in PLACEHOLDERS[key]
        }
        found = self.lookup(key, language, category)
        if found is None:
            return BUILTIN[key](escaped, t)
        return found[1].format_map(escaped)
