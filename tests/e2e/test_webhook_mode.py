"""BOT_MODE=webhook: Telegram posts updates to the bot; only posts with the secret are handled."""

from __future__ import annotations

import aiohttp
import pytest

from bot.config import BotMode
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
