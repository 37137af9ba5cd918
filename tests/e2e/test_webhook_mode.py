"""BOT_MODE=webhook: Telegram posts updates to the bot; only posts with the secret are handled."""

from __future__ import annotations

import asyncio
import json
import logging

import aiohttp
import pytest
from sqlalchemy.exc import OperationalError

from bot.config import BotMode
from bot.telegram import middlewares
from tests.e2e.conftest import World
from tests.net import free_port

SECRET = "webhook-secret_for-tests-123"
PATH = "/telegram/updates"


@pytest.fixture
def extra_settings() -> dict[str, object]:
    port = free_port()
    return {
        "bot_mode": BotMode.webhook,
        "webhook_url": f"http://127.0.0.1:{port}{PATH}",
        "webhook_secret": SECRET,
        "api_port": port,
    }


@pytest.fixture
def standin_options() -> dict[str, object]:
    return {"local_mode": True}  # a self-hosted Bot API server: plain http to 127.0.0.1 is fine


async def post(world: World, body: object, headers: dict[str, str]) -> int:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"http://127.0.0.1:{world.app.api_port}{PATH}", json=body, headers=headers) as r,
    ):
        return r.status


async def test_updates_arrive_over_the_webhook_and_the_order_is_confirmed(world: World):
    webhook = world.telegram.world.webhook
    assert webhook is not None
    assert webhook["url"] == f"http://127.0.0.1:{world.app.api_port}{PATH}"
    assert webhook["secret_token"] == SECRET
    assert not world.telegram.is_polling  # nobody asks getUpdates in this mode

    order = await world.shop.create_order(external_id="W-1")
    token = order["telegram_link"].rsplit("=", 1)[1]
    world.olena.send_command("/start", token)
    card = await world.telegram.wait_for_message(world.olena.id, "W-1")
    answer = await world.olena.press(card, "✅ Підтвердити").answer()
    assert "W-1" in (answer.text or "")
    await world.hooks.wait_for("order.confirmed")

    await world.telegram.wait_for_delivered_updates()
    deliveries = world.telegram.webhook_deliveries
    assert len(deliveries) == 2 and all(d.status == 200 for d in deliveries)
    assert (await world.shop.get_order("W-1"))["status"] == "confirmed"


async def test_posts_without_the_secret_are_refused_and_change_nothing(world: World):
    order = await world.shop.create_order(external_id="W-2")
    token = order["telegram_link"].rsplit("=", 1)[1]
    forged = {
        "update_id": 999_001,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": world.olena.id, "type": "private", "first_name": "Олена"},
            "from": {"id": world.olena.id, "is_bot": False, "first_name": "Олена"},
            "text": f"/start {token}",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    secret = "X-Telegram-Bot-Api-Secret-Token"

    assert await post(world, forged, {}) == 401
    assert await post(world, forged, {secret: "guessed-secret"}) == 401
    assert await post(world, {"not": "an update"}, {secret: SECRET}) == 400

    assert world.telegram.bot_messages(world.olena.id) == []  # nobody was answered
    stored = await world.shop.get_order("W-2")
    assert stored["status"] == "new" and stored["customer"]["linked"] is False


async def post_raw(world: World, headers: bytes, body: bytes) -> int:
    """A post as bytes on the wire: headers aiohttp's client would refuse to send."""
    reader, writer = await asyncio.open_connection("127.0.0.1", world.app.api_port)
    try:
        writer.write(
            b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n%s\r\n%s"
            % (PATH.encode(), len(body), headers, body)
        )
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        writer.close()
        await writer.wait_closed()
    return int(status_line.split()[1])


def message_update(update_id: int, user_id: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Хтось"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Хтось"},
            "text": text,
        },
    }


async def test_a_secret_that_is_not_utf8_is_refused_with_401(world: World):
    world.olena.send_command("/start")
    await world.telegram.wait_for_message(world.olena.id)
    body = json.dumps(message_update(999_101, world.olena.id, "/help")).encode()
    secret = b"X-Telegram-Bot-Api-Secret-Token: "

    assert await post_raw(world, secret + b"\xff\xfe\r\n", body) == 401
    assert await post_raw(world, secret + SECRET.encode() + b"\xc3\r\n", body) == 401
    assert await post_raw(world, secret + SECRET.encode() + b"\r\n", body) == 200

    await world.telegram.wait_for_message(world.olena.id)  # the signed /help was answered
    assert len(world.telegram.bot_messages(world.olena.id)) == 2  # only it


@pytest.mark.parametrize(
    "body",
    [
        b'{"update_id": 1, "message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b"[" * 300 + b"]" * 300,
        b'{"update_id": 1, "message": {"text": "\xff"}}',
        b'{"update_id": ',
        b"",
    ],
    ids=["deeply-nested", "nested", "not-utf8", "cut-short", "empty"],
)
async def test_a_body_that_is_not_an_update_is_refused_with_400(world: World, body: bytes):
    secret = b"X-Telegram-Bot-Api-Secret-Token: " + SECRET.encode() + b"\r\n"
    assert await post_raw(world, secret, body) == 400


async def test_an_update_whose_apology_cannot_be_delivered_is_logged_and_answered_200(
    world: World, caplog: pytest.LogCaptureFixture
):
    """Nobody at chat 424242 ever opened the bot: the answer and then the apology both get
    "chat not found". Telegram must not be made to post the update again and again."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    with caplog.at_level(logging.INFO):
        status = await post(world, message_update(999_201, 424_242, "hello"), headers)

    assert status == 200
    (failed,) = [r for r in caplog.records if r.name == "bot.web.telegram_webhook"]
    assert failed.levelno == logging.ERROR and "999201" in failed.getMessage()
    refused = [c for c in world.telegram.calls if c.method == "sendMessage" and not c.ok]
    assert {c.description for c in refused} == {"Bad Request: chat not found"}


async def test_the_webhook_is_counted_in_the_metrics(world: World):
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert await post(world, {"not": "an update"}, headers) == 400
    assert await post(world, message_update(999_301, 424_242, "hello"), headers) == 200
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{world.app.api_port}/metrics") as r,
    ):
        text = await r.text()
    for status in (400, 200):
        assert f'method="POST",route="{PATH}",status="{status}"' in text


async def test_a_database_outage_nobody_could_be_told_about_is_answered_503(
    world: World, monkeypatch: pytest.MonkeyPatch
):
    """The database is down and the apology is refused too: Telegram posts it again later."""

    def database_down(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database is down"))

    monkeypatch.setattr(middlewares, "language_of", database_down)
    update = message_update(999_401, 424_242, "hello")
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"http://127.0.0.1:{world.app.api_port}{PATH}",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ) as r,
    ):
        assert (r.status, r.headers.get("Retry-After")) == (503, "5")
