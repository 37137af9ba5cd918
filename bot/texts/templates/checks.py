"""What is wrong with one template text, if anything: placeholders, Telegram HTML, length."""

from __future__ import annotations

from collections.abc import Iterator
from string import Formatter

from bot.botapi.html import HtmlParseError, parse_html
from bot.domain.languages import Language
from bot.texts.escaping import escape
from bot.texts.templates.keys import PLACEHOLDERS, PLAIN_KEYS, TemplateKey
from bot.texts.templates.samples import plain_translator, sample_values

MAX_TEXT = 4096  # visible characters after Telegram parses the HTML


def problem_of(key: TemplateKey, language: Language, text: str) -> str | None:
    """One sentence saying what is wrong with ``text`` as the ``key`` template, or None."""
    try:
        fields = list(_fields(text))
    except ValueError as error:
        return f"malformed format string ({error}): write {{name}}, and {{{{ }}}} for a brace"
    allowed = PLACEHOLDERS[key]
    shown = ", ".join(f"{{{name}}}" for name in allowed)
    for field in fields:
        if not field.isidentifier():
            return f"placeholder {{{field}}} is not a plain name (allowed: {shown})"
    unknown = [f"{{{field}}}" for field in dict.fromkeys(fields) if field not in allowed]
    if unknown:
        return f"unknown placeholder {', '.join(unknown)} (allowed: {shown})"
    if key in PLAIN_KEYS:  # Viber/SMS: no HTML; SMS parts are counted at start
        filled = text.format_map(sample_values(plain_translator(language)))
        return None if filled.strip() else "the text is empty"
    values = {
        name: escape(value) for name, value in sample_values(plain_translator(language)).items()
    }
    try:
        parsed = parse_html(text.format_map(values))
    except HtmlParseError as error:
        return f"invalid Telegram HTML ({error.detail}): use Telegram's tags, escape a bare < > &"
    if not parsed.text.strip():
        return "the text is empty"
    if len(parsed.text) > MAX_TEXT:
        return (
            f"too long: {len(parsed.text)} characters with sample values, "
            f"Telegram allows {MAX_TEXT}"
        )
    return None


def _fields(text: str) -> Iterator[str]:
    """Every replacement field as written between the braces: ``number``, ``x!r``, ``0``, ``a.b``."""
    for _literal, field, spec, conversion in Formatter().parse(text):
        if field is not None:
            yield field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
