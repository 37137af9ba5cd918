"""Telegram HTML parse mode: validation and the visible text it produces.

A small tokenizer, stricter than a browser: only the tags Telegram supports,
exact nesting, only ``&lt; &gt; &amp; &quot;`` and numeric entities, and bare
``<``, ``>`` or ``&`` are refused. Errors carry a Telegram-style description
(``Bad Request: can't parse entities: ...``). Entity offsets are in UTF-16
code units, as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_ENTITY_TYPE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
ALLOWED_TAGS = frozenset(_ENTITY_TYPE)
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9A-Fa-f]{1,8})|([A-Za-z][A-Za-z0-9]*));")
_PLAIN_RE = re.compile(r"[^<>&]+")
_SPACE = " \t\r\n\f"


class HtmlParseError(ValueError):
    """Telegram refused the markup; ``description`` is the API error text."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        self.description = f"Bad Request: can't parse entities: {detail}"
        super().__init__(self.description)


@dataclass(frozen=True)
class Entity:
    type: str
    offset: int
    length: int
    extra: tuple[tuple[str, str | int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type, "offset": self.offset, "length": self.length}
        data.update(self.extra)
        return data


@dataclass(frozen=True)
class ParsedText:
    text: str
    entities: tuple[Entity, ...] = ()

    def entity_dicts(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self.entities]


@dataclass
class _Open:
    name: str
    start: int
    attrs: dict[str, str] = field(default_factory=dict)
    language: str | None = None


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> ParsedText:
    """Validate ``source`` as Telegram HTML and return its visible text and entities."""
    return _Parser(source).run()


def visible_text(source: str) -> str:
    return parse_html(source).text


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_Open] = []
        self.entities: list[Entity] = []

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.pos16 += utf16_len(chunk)

    def run(self) -> ParsedText:
        src, i = self.src, 0
        while i < len(src):
            char = src[i]
            if char == "&":
                decoded, i = self.entity(i)
                self.emit(decoded)
            elif char == "<":
                i = self.end_tag(i) if src.startswith("</", i) else self.start_tag(i)
            elif char == ">":
                raise HtmlParseError(
                    f'character ">" at byte offset {self.byte_offset(i)} must be escaped as "&gt;"'
                )
            else:
                match = _PLAIN_RE.match(src, i)
                assert match is not None
                self.emit(match.group())
                i = match.end()
        if self.stack:
            name = self.stack[-1].name
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        entities = sorted(self.entities, key=lambda e: (e.offset, -e.length))
        return ParsedText("".join(self.out), tuple(entities))

    def entity(self, i: int) -> tuple[str, int]:
        match = _ENTITY_RE.match(self.src, i)
        at = self.byte_offset(i)
        if match is None:
            raise HtmlParseError(f'character "&" at byte offset {at} must be escaped as "&amp;"')
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            if name not in _NAMED:
                raise HtmlParseError(
                    f'unsupported HTML entity "{match.group()}" at byte offset {at}'
                )
            return _NAMED[name], match.end()
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise HtmlParseError(f'invalid numeric entity "{match.group()}" at byte offset {at}')
        return chr(code), match.end()

    def start_tag(self, begin: int) -> int:
        src, j = self.src, begin + 1
        while j < len(src) and src[j] not in _SPACE and src[j] != ">":
            j += 1
        if j >= len(src):
            raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = src[begin + 1 : j].lower()
        if name not in ALLOWED_TAGS:
            raise HtmlParseError(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        attrs, j = self.attributes(begin, j, name)
        opened = _Open(name, self.pos16, attrs)
        self.check_attributes(opened, begin)
        self.stack.append(opened)
        return j + 1

    def attributes(self, begin: int, j: int, tag: str) -> tuple[dict[str, str], int]:
        src = self.src
        attrs: dict[str, str] = {}
        unclosed = HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        while True:
            while j < len(src) and src[j] in _SPACE:
                j += 1
            if j >= len(src):
                raise unclosed
            if src[j] == ">":
                return attrs, j
            start = j
            while j < len(src) and src[j] not in _SPACE and src[j] not in "=>":
                j += 1
            attr = src[start:j].lower()
            if not attr:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self.byte_offset(begin)}"
                )
            while j < len(src) and src[j] in _SPACE:
                j += 1
            value = ""
            if j < len(src) and src[j] == "=":
                value, j = self.attribute_value(j + 1, unclosed)
            attrs[attr] = value

    def attribute_value(self, j: int, unclosed: HtmlParseError) -> tuple[str, int]:
        src = self.src
        while j < len(src) and src[j] in _SPACE:
            j += 1
        if j >= len(src):
            raise unclosed
        if src[j] in "\"'":
            end = src.find(src[j], j + 1)
            if end < 0:
                raise unclosed
            raw, after = src[j + 1 : end], end + 1
            base = j + 1
        else:
            end = j
            while end < len(src) and src[end] not in _SPACE and src[end] != ">":
                end += 1
            raw, after, base = src[j:end], end, j
        return self.decode_value(raw, base), after

    def decode_value(self, raw: str, base: int) -> str:
        parts: list[str] = []
        k = 0
        while k < len(raw):
            if raw[k] == "&":
                decoded, end = self.entity(base + k)
                parts.append(decoded)
                k = end - base
            elif raw[k] in "<>":
                at = self.byte_offset(base + k)
                raise HtmlParseError(f'character "{raw[k]}" at byte offset {at} must be escaped')
            else:
                parts.append(raw[k])
                k += 1
        return "".join(parts)

    def check_attributes(self, opened: _Open, begin: int) -> None:
        name, attrs = opened.name, opened.attrs
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise HtmlParseError('Tag "tg-emoji" must have a numeric attribute "emoji-id"')
        if name == "tg-time" and not attrs.get("unix", "").isdigit():
            raise HtmlParseError('Tag "tg-time" must have a numeric attribute "unix"')
        if name == "code" and self.stack and self.stack[-1].name == "pre":
            language = attrs.get("class", "")
            if language.startswith("language-") and len(language) > len("language-"):
                opened.language = language.removeprefix("language-")

    def end_tag(self, begin: int) -> int:
        end = self.src.find(">", begin)
        at = self.byte_offset(begin)
        if end < 0:
            raise HtmlParseError(f"Unclosed end tag at byte offset {at}")
        name = self.src[begin + 2 : end].strip(_SPACE).lower()
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {at}")
        top = self.stack[-1]
        if name != top.name:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {at}, expected "</{top.name}>", '
                f'found "</{name}>"'
            )
        self.stack.pop()
        self.close(top)
        return end + 1

    def close(self, opened: _Open) -> None:
        length = self.pos16 - opened.start
        parent = self.stack[-1] if self.stack else None
        if opened.name == "code" and parent is not None and parent.name == "pre":
            parent.language = parent.language or opened.language
            return
        if length == 0:
            return
        self.entities.append(
            Entity(self.entity_type(opened), opened.start, length, self.extra(opened))
        )

    @staticmethod
    def entity_type(opened: _Open) -> str:
        if opened.name == "blockquote" and "expandable" in opened.attrs:
            return "expandable_blockquote"
        if opened.name == "a" and "href" not in opened.attrs:
            return "url"
        return _ENTITY_TYPE[opened.name]

    @staticmethod
    def extra(opened: _Open) -> tuple[tuple[str, str | int], ...]:
        if opened.name == "a" and "href" in opened.attrs:
            return (("url", opened.attrs["href"]),)
        if opened.name == "pre" and opened.language:
            return (("language", opened.language),)
        if opened.name == "tg-emoji":
            return (("custom_emoji_id", opened.attrs["emoji-id"]),)
        if opened.name == "tg-time":
            unix: tuple[str, str | int] = ("unix_time", int(opened.attrs["unix"]))
            fmt = opened.attrs.get("format")
            return (unix, ("date_time_format", fmt)) if fmt else (unix,)
        return ()
