"""The API's text rules as regular expressions, for the OpenAPI document and the server alike.

Request models strip whitespace (pydantic's ``strip_whitespace``) before they check a text; a pattern that
states the same rule must therefore allow that whitespace around the text, control characters
included. Every pattern here is searched (JSON Schema's ``pattern``), anchored with ``^…$``, and
uses only syntax that means the same in ECMA-262 and Python: ``\\uXXXX`` escapes and classes.
``tests/api/test_patterns.py`` checks each one against the validator it describes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Final

from babel.core import get_global

from bot.domain.visible import VISIBLE_PATTERN


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)


def char_class(member: Callable[[str], bool]) -> str:
    """The body of a character class (no brackets) of every code point ``member`` accepts."""
    parts: list[str] = []
    start: int | None = None
    for code in range(0x110001):
        inside = code <= 0x10FFFF and member(chr(code))
        if inside and start is None:
            start = code
        elif not inside and start is not None:
            end = code - 1
            parts.append(_escape(start) if start == end else f"{_escape(start)}-{_escape(end)}")
            start = None
    return "".join(parts)


def _control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


# What pydantic's ``strip_whitespace`` removes: Unicode's White_Space (Rust's ``trim``), which
# unlike Python's ``str.isspace`` leaves the separators U+001C-U+001F alone.
WS: Final = char_class(lambda ch: ch.isspace() and ch not in "\x1c\x1d\x1e\x1f")
CC: Final = char_class(_control)
_CC_BUT_NEWLINES: Final = char_class(lambda ch: _control(ch) and ch not in "\n\r\t")

# A non-empty single-line text: something besides whitespace, no control character inside.
TEXT_PATTERN: Final = f"^[{WS}]*[^{WS}{CC}][^{CC}]*[{WS}]*$"
# A name: the same, with at least one visible character (not only zero-width or format ones).
NAME_PATTERN: Final = f"^[{WS}]*[^{CC}]*{VISIBLE_PATTERN}[^{CC}]*[{WS}]*$"
# A comment: may be empty, may span lines.
COMMENT_PATTERN: Final = f"^[{WS}]*[^{_CC_BUT_NEWLINES}]*[{WS}]*$"
# A comment that must say something (a reason, a question).
FILLED_COMMENT_PATTERN: Final = f"^[{WS}]*[^{WS}{_CC_BUT_NEWLINES}][^{_CC_BUT_NEWLINES}]*[{WS}]*$"


def _any_case(letter: str) -> str:
    return f"[{letter.upper()}{letter.lower()}]"


def _currency_pattern() -> str:
    """Every ISO 4217 code Babel knows (what ``is_currency`` accepts), in any case."""
    by_first: dict[str, list[str]] = {}
    for code in sorted(get_global("all_currencies")):
        by_first.setdefault(code[0], []).append("".join(map(_any_case, code[1:])))
    codes = "|".join(f"{_any_case(first)}(?:{'|'.join(rest)})" for first, rest in by_first.items())
    return f"^[{WS}]*(?:{codes})[{WS}]*$"


CURRENCY_PATTERN: Final = _currency_pattern()
# Amounts as strings: no sign, no exponent, no leading zeros, at most 2 decimals, < 10^10.
MONEY_PATTERN: Final = r"^(?:0|[1-9][0-9]{0,9})(?:\.[0-9]{1,2})?$"
POSITIVE_MONEY_PATTERN: Final = r"^(?:[1-9][0-9]{0,9}(?:\.[0-9]{1,2})?|0\.(?:[1-9][0-9]?|0[1-9]))$"


def spaced(pattern: str) -> str:
    """A waybill ``pattern`` (of single characters and classes) as the shop may send it: spaces
    between the characters are ignored, whitespace around it is stripped."""
    return f"^[{WS}]*{pattern}[{WS}]*$"


# Waybills as ``bot.domain.waybills.valid_waybill`` reads them, spaces ignored.
NOVA_POSHTA_WAYBILL: Final = spaced("[12459](?:[ ]*[0-9]){13}")
UKRPOSHTA_WAYBILL: Final = spaced(
    "(?:[0-9](?:[ ]*[0-9]){12}|[A-Z][ ]*[A-Z](?:[ ]*[0-9]){9}[ ]*[A-Z][ ]*[A-Z])"
)
OTHER_WAYBILL: Final = spaced("[A-Za-z0-9-](?:[ ]*[A-Za-z0-9-]){4,39}")


def list_pattern(values: list[str]) -> str:
    """A comma-separated list of ``values``, whitespace around each and empty entries allowed."""
    one = f"[{WS}]*(?:{'|'.join(values)})?[{WS}]*"
    return f"^{one}(?:,{one})*$"
