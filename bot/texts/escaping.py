"""The one way user-supplied text enters a message: bidi controls out, then HTML-escaped.

Names, comments, notes and return reasons come from shops and customers; a bidi override in
one of them would reverse what a manager reads (``bot.domain.visible``).
"""

from __future__ import annotations

import html

from bot.domain.visible import without_bidi


def escape(text: str, quote: bool = True) -> str:
    """``text`` safe for Telegram's HTML parse mode and read in the order it was typed."""
    return html.escape(without_bidi(text), quote)
