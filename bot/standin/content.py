"""Text and caption checks shared by the sending and editing methods."""

from __future__ import annotations

from bot.botapi.html import HtmlParseError, ParsedText, parse_html
from bot.standin.errors import (
    CAPTION_TOO_LONG,
    RAW_TEXT_TOO_LONG,
    TEXT_EMPTY,
    TEXT_TOO_LONG,
    UNSUPPORTED_PARSE_MODE,
    bad_request,
)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_RAW_BYTES = 1 << 15


def _parse(source: str, parse_mode: str | None) -> ParsedText:
    mode = (parse_mode or "").lower()
    if mode == "":
        return ParsedText(source)
    if mode == "html":
        try:
            return parse_html(source)
        except HtmlParseError as error:
            raise bad_request(error.description.removeprefix("Bad Request: ")) from None
    if mode in ("markdown", "markdownv2"):
        # not modelled: the project uses HTML; visible text is taken as sent
        return ParsedText(source)
    raise bad_request(UNSUPPORTED_PARSE_MODE)


def render_text(text: str | None, parse_mode: str | None) -> ParsedText:
    """Message text: 1..4096 visible characters after entity parsing."""
    if not text:
        raise bad_request(TEXT_EMPTY)
    if len(text.encode("utf-8")) > MAX_RAW_BYTES:
        raise bad_request(RAW_TEXT_TOO_LONG)
    parsed = _parse(text, parse_mode)
    if not parsed.text.strip():
        raise bad_request(TEXT_EMPTY)
    if len(parsed.text) > MAX_TEXT:
        raise bad_request(TEXT_TOO_LONG)
    return parsed


def render_caption(caption: str | None, parse_mode: str | None) -> ParsedText | None:
    """Media caption: 0..1024 visible characters; None when there is none."""
    if not caption:
        return None
    parsed = _parse(caption, parse_mode)
    if len(parsed.text) > MAX_CAPTION:
        raise bad_request(CAPTION_TOO_LONG)
    return parsed if parsed.text.strip() else None
