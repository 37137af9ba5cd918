"""/preview: admins see any template filled with a sample order; everyone else is refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import Application
from bot.clock import ManualClock
from bot.config import Settings
from bot.domain.categories import Category
from bot.domain.languages import Language
from bot.i18n import Catalogs
from bot.standin import FakeUser, TelegramStandin
from bot.standin.pacing import PacingClock
from bot.texts.templates import Address, TemplateKey, Templates
from bot.texts.templates.preview import PreviewRequest, parse_request, preview, usage

TOKEN = "123456789:TEST-token-abcdefghijklmnopqrstuvwxyz"
ADMIN_ID = 900
MANAGERS_CHAT = -1001234567890
TEMPLATES = """
[arrived.vip]
uk = "💎 {customer_name}, замовлення <b>{number}</b> чекає: {point}. До сплати {amount}."
"""
K = TemplateKey


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("arrived", PreviewRequest(K.arrived)),
        ("arrived vip", PreviewRequest(K.arrived, Category.vip)),
        ("arrived en", PreviewRequest(K.arrived, None, Language.en)),
        ("shipped ru risky", PreviewRequest(K.shipped, Category.risky, Language.ru)),
        ("  received   new  uk ", PreviewRequest(K.received, Category.new, Language.uk)),
        (None, None),
        ("", None),
        ("arived", None),
        ("arrived gold", None),
        ("arrived vip vip", None),
        ("arrived uk en", None),
        ("arrived vip uk extra", None),
    ],
)
def test_the_request_is_parsed_or_refused(args: str | None, expected: PreviewRequest | None):
    assert parse_request(args) == expected


def test_usage_lists_every_key_category_and_language(catalogs: Catalogs):
    text = usage(catalogs(Language.uk))
    assert text.startswith("Використання: /preview")
    for name in [*TemplateKey, *Category, *Language]:
        assert name.value in text


def test_preview_shows_the_override_and_says_where_it_comes_from(catalogs: Catalogs):
    templates = Templates({Address(K.arrived, Category.vip, Language.uk): "💎 <b>{number}</b>"})
    t = catalogs(Language.en)
    shown = preview(templates, catalogs, PreviewRequest(K.arrived, Category.vip, Language.uk), t)
    assert shown.body == "💎 <b>A-1001</b>"
    assert "<code>arrived</code>" in shown.header and "vip" in shown.header
    assert "<code>arrived.vip.uk</code>" in shown.header
    built_in = preview(templates, catalogs, PreviewRequest(K.arrived, Category.regular), t)
    assert built_in.body.startswith("📦 Your order <b>A-1001</b> has arrived")
    assert "900.00" in built_in.body and "Built-in text" in built_in.header


def test_a_viber_sms_text_is_shown_as_written_with_its_size_as_an_sms(catalogs: Catalogs):
    templates = Templates({Address(K.outreach_confirm_sms, None, Language.uk): "<{shop}> {number}"})
    t = catalogs(Language.uk)
    shown = preview(templates, catalogs, PreviewRequest(K.outreach_confirm_sms), t)
    assert shown.body.startswith("&lt;Vykup Shop&gt; A-1001")  # plain text, escaped for the chat
    assert "1 частина, довжина 19" in shown.body
    built_in = preview(Templates(), catalogs, PreviewRequest(K.outreach_arrived), t)
    assert "2 частини" in built_in.body or "1 частина" in built_in.body


@pytest.fixture
async def bot_with_templates(
    db: object, database_url: str, clock: ManualClock, tmp_path: Path
) -> AsyncIterator[tuple[TelegramStandin, FakeUser, FakeUser]]:
    path = tmp_path / "templates.toml"
    path.write_text(TEMPLATES, encoding="utf-8")
    pacing = PacingClock()  # the group's 20 messages a minute, kept in virtual time
    telegram = TelegramStandin(TOKEN, bot_username="vykup_test_bot", flood_clock=pacing.now)
    admin = telegram.add_user(ADMIN_ID, "Марія", language_code="uk")
    stranger = telegram.add_user(901, "Стажер", language_code="uk")
    telegram.add_group(MANAGERS_CHAT, "Менеджери", [admin, stranger])
    async with telegram.serve() as telegram_url:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=TOKEN,
            telegram_api_url=telegram_url,
            database_url=database_url,
            admin_ids=str(ADMIN_ID),
            manager_chat_id=MANAGERS_CHAT,
            api_port=0,
            templates_file=path,
            digest_at=None,
        )
        app = Application(settings, clock=clock, pacing=pacing)
        await app.start()
        try:
            await telegram.wait_for_polling()
            yield telegram, admin, stranger
        finally:
            await asyncio.wait_for(app.stop(), timeout=20)
    telegram.assert_no_violations()


async def test_preview_command_for_admins_only(
    bot_with_templates: tuple[TelegramStandin, FakeUser, FakeUser],
):
    telegram, admin, stranger = bot_with_templates
    admin.send_command("/preview", "arrived vip uk", chat_id=MANAGERS_CHAT)
    header = await telegram.wait_for_message(MANAGERS_CHAT, "arrived.vip.uk")
    assert "файлу шаблонів" in header.visible
    body = await telegram.wait_for_message(MANAGERS_CHAT, "💎")
    assert body.visible.startswith("💎 Олена Коваль, замовлення A-1001 чекає")
    assert "900,00" in body.visible

    admin.send_command("/preview", "received", chat_id=MANAGERS_CHAT)
    await telegram.wait_for_message(MANAGERS_CHAT, "Вбудований текст")
    await telegram.wait_for_message(MANAGERS_CHAT, "🎉")

    admin.send_command("/preview", "nonsense", chat_id=MANAGERS_CHAT)
    help_text = await telegram.wait_for_message(MANAGERS_CHAT, "/preview")
    assert "pickup_reminder" in help_text.visible and "risky" in help_text.visible

    stranger.send_command("/preview", "arrived vip uk", chat_id=MANAGERS_CHAT)
    await telegram.wait_for_message(MANAGERS_CHAT, "немає прав")
    await asyncio.sleep(0.3)
    assert sum("💎" in message.visible for message in telegram.bot_messages(MANAGERS_CHAT)) == 1
