"""The Viber/SMS texts: counted in SMS parts at start, with the shop's own name and address."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.i18n import Catalogs
from bot.outreach_wiring import check_sms_texts
from bot.texts import outreach
from bot.texts.templates import TemplateError, Templates, load_templates

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SECRET = "0123456789abcdef0123456789abcdef"


def settings(**values: object) -> Settings:
    base: dict[str, object] = {
        "bot_token": TOKEN,
        "turbosms_token": "t",
        "sms_sender": "Kvitka",
        "viber_sender": "Kvitka",
        "web_link_secret": SECRET,
        "public_url": "https://bot.example.com",
    }
    return Settings(_env_file=None, **{**base, **values})  # type: ignore[arg-type]


def test_the_built_in_sms_texts_fit_two_parts_with_a_short_address(catalogs: Catalogs):
    assert (
        outreach.too_long(
            Templates(), catalogs, shop="Kvitka", public_url="https://bot.example.com", max_parts=2
        )
        == []
    )


def test_a_long_address_is_refused_at_start_naming_the_text_and_the_way_out(catalogs: Catalogs):
    long_url = "https://vykup-confirmations.my-long-shop-name.com.ua"
    with pytest.raises(TemplateError) as error:
        check_sms_texts(settings(public_url=long_url), Templates(), catalogs)
    message = str(error.value)
    assert "outreach_confirm_sms.uk takes 3 SMS parts" in message
    assert "SMS_MAX_PARTS allows 2" in message and "shorten SHOP_NAME or PUBLIC_URL" in message
    check_sms_texts(settings(public_url=long_url, sms_max_parts=3), Templates(), catalogs)


def test_the_shops_own_sms_text_is_counted_too(tmp_path: Path, catalogs: Catalogs):
    path = tmp_path / "templates.toml"
    path.write_text(
        '[outreach_arrived]\nuk = "' + "Дуже довгий текст. " * 8 + '{number}"\n', encoding="utf-8"
    )
    templates = load_templates(path)
    with pytest.raises(TemplateError, match=r"outreach_arrived\.uk takes 3 SMS parts"):
        check_sms_texts(settings(), templates, catalogs)


def test_outreach_off_checks_nothing(catalogs: Catalogs):
    check_sms_texts(
        settings(turbosms_token=None, public_url="https://" + "x" * 80 + ".ua"),
        Templates(),
        catalogs,
    )


def test_an_sms_text_is_plain_and_may_use_only_its_placeholders(tmp_path: Path):
    path = tmp_path / "templates.toml"
    path.write_text('[outreach_confirm_sms]\nuk = "{shop}: {point}"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"unknown placeholder \{point\}"):
        load_templates(path)
    path.write_text('[outreach_confirm_sms]\nuk = "<b>{shop}</b> {page_link}"\n', encoding="utf-8")
    assert len(load_templates(path)) == 1  # plain text: a "<b>" is sent as written
