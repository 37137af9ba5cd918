from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.botapi.html import HtmlParseError, parse_html, utf16_len, visible_text

PREFIX = "Bad Request: can't parse entities: "


def refused(source: str) -> str:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert caught.value.description.startswith(PREFIX)
    return caught.value.detail


def test_nested_tags_give_visible_text_and_utf16_entities() -> None:
    parsed = parse_html("😀 <b>жирний <i>обидва</i></b> кінець")

    assert parsed.text == "😀 жирний обидва кінець"
    assert parsed.entity_dicts() == [
        {"type": "bold", "offset": 3, "length": 13},
        {"type": "italic", "offset": 10, "length": 6},
    ]


def test_every_supported_tag_is_accepted() -> None:
    source = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        '<strike>k</strike><del>d</del><span class="tg-spoiler">p</span>'
        '<tg-spoiler>t</tg-spoiler><a href="https://example.com/?a=1&amp;b=2">a</a>'
        "<code>c</code><pre>p</pre><blockquote>q</blockquote>"
        '<blockquote expandable>x</blockquote><tg-emoji emoji-id="5368324170671202286">👍'
        '</tg-emoji><tg-time unix="1700000000" format="wDT">t</tg-time>'
    )
    parsed = parse_html(source)

    assert parsed.text == "bsieunskdptacpqx👍t"
    by_type = {e["type"]: e for e in parsed.entity_dicts()}
    assert by_type["text_link"]["url"] == "https://example.com/?a=1&b=2"
    assert by_type["expandable_blockquote"]["offset"] == 15
    assert by_type["custom_emoji"]["custom_emoji_id"] == "5368324170671202286"
    assert by_type["date_time"] == {
        "type": "date_time",
        "offset": 18,
        "length": 1,
        "unix_time": 1700000000,
        "date_time_format": "wDT",
    }


def test_pre_with_code_language_becomes_one_pre_entity() -> None:
    parsed = parse_html('<pre><code class="language-python">x = 1</code></pre>')

    assert parsed.entity_dicts() == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"}
    ]


def test_tags_are_case_insensitive_like_telegram() -> None:
    assert visible_text("<B>x</B>") == "x"


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("привіт <br>", 'Unsupported start tag "br" at byte offset 13'),
        ("<b/>", 'Unsupported start tag "b/" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<tg-emoji>x</tg-emoji>", 'Tag "tg-emoji" must have a numeric attribute "emoji-id"'),
    ],
)
def test_bad_markup_is_refused_with_telegram_wording(source: str, detail: str) -> None:
    assert refused(source) == detail


@pytest.mark.parametrize(
    "source",
    ["Tom & Jerry", "a &nbsp; b", "&lt", "2 > 1", "&#0;", "&#xD800;", '<a href="?a=1&b=2">x</a>'],
)
def test_bare_specials_and_unknown_entities_are_refused(source: str) -> None:
    refused(source)


def test_supported_entities_are_decoded() -> None:
    text = visible_text("&lt;b&gt; &amp; &quot;q&quot; &#128512; &#x41;")

    assert text == '<b> & "q" 😀 A'


def test_visible_length_ignores_markup() -> None:
    source = "<b>" + "я" * 4096 + "</b>"

    assert len(visible_text(source)) == 4096
    assert utf16_len("😀a") == 3


@settings(max_examples=200, deadline=None, database=None)
@given(st.text())
def test_escaped_text_round_trips(text: str) -> None:
    assert visible_text(html.escape(text)) == text
