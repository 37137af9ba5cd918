"""The HTTP protocol itself: envelopes, encodings, auth, bot-level methods."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramUnauthorizedError,
)
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

from bot.standin import TINY_PNG, FakeUser, TelegramStandin
from tests.standin.conftest import TOKEN, make_bot


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(http: aiohttp.ClientSession, url: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    async with http.post(url, **kwargs) as response:
        return response.status, await response.json()


async def test_unknown_method_is_404(base_url: str, http: aiohttp.ClientSession) -> None:
    status, body = await call(http, f"{base_url}/bot{TOKEN}/sendTelepathy")

    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


async def test_wrong_token_is_401(standin: TelegramStandin, base_url: str) -> None:
    intruder = make_bot(base_url, token="999:WRONG")
    try:
        with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
            await intruder.get_me()
    finally:
        await intruder.session.close()
    assert standin.violations[-1].kind == "auth"


async def test_json_body_and_get_query_are_understood(
    standin: TelegramStandin, base_url: str, http: aiohttp.ClientSession, olena: FakeUser
) -> None:
    markup = {"inline_keyboard": [[{"text": "Так", "callback_data": "y"}]]}
    status, body = await call(
        http,
        f"{base_url}/bot{TOKEN}/sendMessage",
        json={
            "chat_id": olena.id,
            "text": "<b>JSON</b>",
            "parse_mode": "HTML",
            "reply_markup": markup,
        },
    )
    assert status == 200 and body["ok"] is True
    assert body["result"]["text"] == "JSON"
    assert body["result"]["reply_markup"] == markup
    assert body["result"]["from"]["is_bot"] is True

    async with http.get(f"{base_url}/bot{TOKEN}/getMe") as response:
        assert (await response.json())["result"]["username"] == "vykup_test_bot"
    async with http.get(
        f"{base_url}/bot{TOKEN}/sendMessage", params={"chat_id": str(olena.id), "text": "GET"}
    ) as response:
        assert (await response.json())["result"]["text"] == "GET"


async def test_multipart_upload_under_the_field_name(
    base_url: str, http: aiohttp.ClientSession, olena: FakeUser
) -> None:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(olena.id))
    form.add_field("photo", TINY_PNG, filename="receipt.png", content_type="image/png")
    status, body = await call(http, f"{base_url}/bot{TOKEN}/sendPhoto", data=form)

    assert status == 200 and len(body["result"]["photo"]) == 2

    form = aiohttp.FormData()
    form.add_field("chat_id", str(olena.id))
    form.add_field("photo", b"not an image", filename="x.png")
    status, body = await call(http, f"{base_url}/bot{TOKEN}/sendPhoto", data=form)
    assert (status, body["description"]) == (400, "Bad Request: IMAGE_PROCESS_FAILED")


async def test_429_envelope_has_the_exact_shape(
    standin: TelegramStandin, base_url: str, http: aiohttp.ClientSession, olena: FakeUser
) -> None:
    standin.force_storm(1, retry_after=5)
    status, body = await call(
        http, f"{base_url}/bot{TOKEN}/sendMessage", data={"chat_id": olena.id, "text": "x"}
    )

    assert status == 429
    assert list(body) == ["ok", "error_code", "description", "parameters"]
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 5",
        "parameters": {"retry_after": 5},
    }


async def test_missing_text_and_chat_id(
    bot: Bot, base_url: str, http: aiohttp.ClientSession
) -> None:
    status, body = await call(http, f"{base_url}/bot{TOKEN}/sendMessage", data={"chat_id": "1001"})
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    status, body = await call(http, f"{base_url}/bot{TOKEN}/sendMessage", data={"text": "x"})
    assert (status, body["description"]) == (400, "Bad Request: chat_id is empty")


async def test_webhook_blocks_get_updates_until_deleted(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="HTTPS URL must be provided"):
        await bot.set_webhook("http://insecure.example/hook")
    await bot.set_webhook("https://vykup.example/hook", secret_token="s3cr3t_-")
    assert (await bot.get_webhook_info()).url == "https://vykup.example/hook"

    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == []


async def test_commands_per_scope(bot: Bot) -> None:
    private = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([BotCommand(command="start", description="Почати")], scope=private)

    assert [c.command for c in await bot.get_my_commands(scope=private)] == ["start"]
    assert await bot.get_my_commands() == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start-Now", description="x")])
    await bot.delete_my_commands(scope=private)
    assert await bot.get_my_commands(scope=private) == []


async def test_get_chat_and_chat_action(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    chat = await bot.get_chat(olena.id)
    assert (chat.type, chat.first_name, chat.username) == ("private", "Олена", "olena")
    assert (await bot.get_chat("@olena")).id == olena.id

    assert await bot.send_chat_action(olena.id, "typing") is True
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await bot.send_chat_action(olena.id, "dancing")
    olena.block_bot()
    with pytest.raises(TelegramForbiddenError):
        await bot.send_chat_action(olena.id, "typing")


async def test_every_call_is_logged(standin: TelegramStandin, bot: Bot, olena: FakeUser) -> None:
    await bot.send_message(olena.id, "a", disable_notification=True)
    with pytest.raises(TelegramBadRequest):
        await bot.send_message(olena.id, "<x>")

    ok, failed = standin.calls[-2:]
    assert (ok.method, ok.ok, ok.params["disable_notification"]) == ("sendMessage", True, "true")
    assert ok.result["text"] == "a"
    assert (failed.ok, failed.status, failed.kind) == (False, 400, "validation")
    assert standin.chat(olena.id).messages[-1].disable_notification is True
    assert (await standin.wait_for_call("sendMessage")).seq == standin.calls[0].seq
