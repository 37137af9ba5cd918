"""Telegram message entities as safe HTML for the sandbox page (pure).

The stand-in keeps what the user sees: the visible text and its entities, with offsets in UTF-16
code units as in the Bot API. Rendering from those (not from the bot's raw HTML) shows exactly what
Telegram would show, and everything that is not markup is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

SIMPLE_TAGS: Mapping[str, str] = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "code": "code",
    "blockquote": "blockquote",
    "expandable_blockquote": "blockquote",
}
SAFE_SCHEMES = ("http://", "https://", "tg://", "mailto:")
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+")
NOT_IN_ADDRESS_AT_END = ".,;:!?)»”’"  # "…here: https://x/p/abc." ends the sentence, not the link


def entities_to_html(text: str, entities: Sequence[Mapping[str, Any]] = ()) -> str:
    units = text.encode("utf-16-le")
    spans = sorted(
        (
            (int(e["offset"]), int(e["offset"]) + int(e["length"]), e)
            for e in entities
            if int(e.get("length", 0)) > 0
        ),
        key=lambda span: (span[0], -span[1]),
    )
    return _render(units, 0, len(units) // 2, spans)


def _render(units: bytes, start: int, end: int, spans: list[tuple[int, int, Any]]) -> str:
    out: list[str] = []
    position = start
    index = 0
    while index < len(spans):
        begin, finish, entity = spans[index]
        finish = min(finish, end)
        if begin < position:  # overlaps the previous span: Telegram nests, so drop it
            index += 1
            continue
        inner = []
        index += 1
        while index < len(spans) and spans[index][0] < finish:
            inner.append(spans[index])
            index += 1
        out.append(_plain(units, position, begin))
        out.append(
            _wrap(entity, _render(units, begin, finish, inner), _slice(units, begin, finish))
        )
        position = finish
    out.append(_plain(units, position, end))
    return "".join(out)


def _slice(units: bytes, start: int, end: int) -> str:
    return units[start * 2 : end * 2].decode("utf-16-le", errors="replace")


def _plain(units: bytes, start: int, end: int) -> str:
    return html.escape(_slice(units, start, end), quote=False) if end > start else ""


def _wrap(entity: Mapping[str, Any], inner: str, source: str) -> str:
    kind = str(entity.get("type"))
    if kind in SIMPLE_TAGS:
        tag = SIMPLE_TAGS[kind]
        return f"<{tag}>{inner}</{tag}>"
    if kind == "pre":
        return f"<pre>{inner}</pre>"
    if kind == "spoiler":
        return f'<span class="spoiler">{inner}</span>'
    if kind in ("text_link", "url"):
        href = entity.get("url") if kind == "text_link" else source
        if kind == "url" and "://" not in source:
            href = f"https://{source}"  # Telegram links "novaposhta.ua" too
        if isinstance(href, str) and href.lower().startswith(SAFE_SCHEMES):
            quoted = html.escape(href, quote=True)
            return f'<a href="{quoted}" target="_blank" rel="noopener noreferrer">{inner}</a>'
        return inner
    if kind in ("mention", "hashtag", "cashtag", "bot_command", "email", "phone_number"):
        return f'<span class="{kind}">{inner}</span>'
    return inner  # custom_emoji, text_mention…: shown as their text


def text_with_links(text: str) -> str:
    """Plain text (a Viber message, an SMS) as a phone shows it: escaped, with its web
    addresses as links that open in a new tab."""
    out: list[str] = []
    position = 0
    for found in WEB_ADDRESS.finditer(text):
        address = found.group().rstrip(NOT_IN_ADDRESS_AT_END)
        start = found.start()
        out.append(html.escape(text[position:start], quote=False))
        out.append(_wrap({"type": "url"}, html.escape(address, quote=False), address))
        position = start + len(address)
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)
