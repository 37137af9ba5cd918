"""Message entities drawn as HTML: what Telegram shows, with everything else escaped."""

from __future__ import annotations

from bot.botapi.html import parse_html
from bot.sandbox.render import entities_to_html, text_with_links


def render(source: str) -> str:
    parsed = parse_html(source)
    return entities_to_html(parsed.text, parsed.entity_dicts())


def test_formatting_nests_as_the_bot_wrote_it():
    assert render("<b>Замовлення <i>S-1</i></b> готове") == "<b>Замовлення <i>S-1</i></b> готове"
    assert render("<code>20450000000001</code>") == "<code>20450000000001</code>"
    assert render("<tg-spoiler>x</tg-spoiler>") == '<span class="spoiler">x</span>'
    assert render("<blockquote>цитата</blockquote>") == "<blockquote>цитата</blockquote>"


def test_offsets_count_utf16_units_so_emoji_do_not_shift_the_markup():
    assert render("📦 <b>Прибуло</b> 🎉 <i>так</i>") == "📦 <b>Прибуло</b> 🎉 <i>так</i>"


def test_text_is_escaped_and_only_safe_links_become_links():
    assert (
        render("&lt;script&gt;alert(1)&lt;/script&gt;") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    )
    assert render('<a href="https://novaposhta.ua/">трекінг</a>') == (
        '<a href="https://novaposhta.ua/" target="_blank" rel="noopener noreferrer">трекінг</a>'
    )
    unsafe = [{"type": "text_link", "offset": 0, "length": 4, "url": "javascript:alert(1)"}]
    assert entities_to_html("тиць", unsafe) == "тиць"
    quoted = [{"type": "text_link", "offset": 0, "length": 1, "url": 'https://x.ua/"><b>'}]
    assert entities_to_html("x", quoted) == (
        '<a href="https://x.ua/&quot;&gt;&lt;b&gt;" target="_blank" rel="noopener noreferrer">x</a>'
    )


def test_plain_text_and_unknown_entities_stay_text():
    assert entities_to_html("a < b & c") == "a &lt; b &amp; c"
    assert entities_to_html("x", [{"type": "custom_emoji", "offset": 0, "length": 1}]) == "x"
    assert entities_to_html("/help", [{"type": "bot_command", "offset": 0, "length": 5}]) == (
        '<span class="bot_command">/help</span>'
    )


def test_bare_addresses_link_like_in_telegram():
    url = [{"type": "url", "offset": 4, "length": 13}]
    assert entities_to_html("see novaposhta.ua", url) == (
        'see <a href="https://novaposhta.ua" target="_blank" rel="noopener noreferrer">'
        "novaposhta.ua</a>"
    )


def test_a_plain_text_message_shows_its_web_addresses_as_links_and_nothing_else():
    text = "Vykup <b>&: підтвердіть: http://127.0.0.1:8090/p/Ab1. Telegram: https://x.ua/t/Ab1"
    assert text_with_links(text) == (
        "Vykup &lt;b&gt;&amp;: підтвердіть: "
        '<a href="http://127.0.0.1:8090/p/Ab1" target="_blank" rel="noopener noreferrer">'
        "http://127.0.0.1:8090/p/Ab1</a>. Telegram: "
        '<a href="https://x.ua/t/Ab1" target="_blank" rel="noopener noreferrer">https://x.ua/t/Ab1</a>'
    )
    assert text_with_links('see https://x.ua/"onmouseover="alert(1)') == (
        'see <a href="https://x.ua/" target="_blank" rel="noopener noreferrer">https://x.ua/</a>'
        '"onmouseover="alert(1)'
    )
    assert text_with_links("javascript:alert(1) tg://x") == "javascript:alert(1) tg://x"
