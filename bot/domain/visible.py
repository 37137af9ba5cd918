"""Text that only looks empty, and text that lies about its direction.

A name made of zero-width spaces or a BOM shows managers a blank; bidi control characters
(U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) reorder what follows them, so a name
or a comment can read as something else. Names must carry a visible character; everything
shown to managers goes through :func:`without_bidi`.

"Invisible" is an explicit set of code points — controls, separators, format characters and
the blank-looking fillers — so that the API's OpenAPI document states the very same rule as a
regular expression (:data:`VISIBLE_PATTERN`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Graphic characters that render as nothing (Hangul fillers, the blank Braille pattern).
_BLANK_GRAPHICS: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Controls, spaces and line/paragraph separators, format characters (ZWSP, BOM, bidi, tags).
_INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def is_invisible(ch: str) -> bool:
    return ch in _BLANK_GRAPHICS or unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def _ranges(codes: Iterable[int]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for code in codes:
        if found and found[-1][1] == code - 1:
            found[-1] = (found[-1][0], code)
        else:
            found.append((code, code))
    return found


def _escape(code: int) -> str:
    # ``\uXXXX`` reads the same in ECMA-262 and Python; astral characters are written as they are.
    return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)


_INVISIBLE: Final = _ranges(code for code in range(0x110000) if is_invisible(chr(code)))
# "Has at least one visible character" as a JSON Schema ``pattern`` (searched, not anchored).
VISIBLE_PATTERN: Final = "[^{}]".format(
    "".join(_escape(lo) if lo == hi else f"{_escape(lo)}-{_escape(hi)}" for lo, hi in _INVISIBLE)
)
_VISIBLE_RE: Final = re.compile(VISIBLE_PATTERN)


def has_visible(text: str) -> bool:
    """Whether ``text`` shows anything: a letter, digit, mark, punctuation or symbol."""
    return _VISIBLE_RE.search(text) is not None


def without_bidi(text: str) -> str:
    """``text`` without bidi control characters: managers read what was typed, in its order."""
    if BIDI_CONTROLS.isdisjoint(text):
        return text
    return "".join(ch for ch in text if ch not in BIDI_CONTROLS)
