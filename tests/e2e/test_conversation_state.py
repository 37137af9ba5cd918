"""A customer half-way through a dialog is not forgotten when the bot restarts — nor is it kept in
memory only: with REDIS_URL it lives in Redis (every process sees it), without it in the database."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select

from bot.app import Application
from storage.models import FsmRecord
from tests.e2e.conftest import MANAGERS_CHAT, World


@pytest.fixture(params=["database", "redis"])
def extra_settings(request: pytest.FixtureRequest) -> dict[str, object]:
    if request.param == "database":
        return {}
    return {"redis_url": request.getfixturevalue("redis_url")}


async def stored_states(world: World) -> tuple[int, list[bytes]]:
    async with world.db.uow() as uow:
        in_database = await uow.session.scalar(select(func.count()).select_from(FsmRecord))
    in_redis: list[bytes] = []
    if world.app.settings.redis_url:
        redis = Redis.from_url(world.app.settings.redis_url)
        try:
            in_redis = [key async for key in redis.scan_iter("vykup:*")]
        finally:
            await redis.aclose()
    return int(in_database or 0), in_redis


async def test_a_change_request_half_way_survives_a_restart(world: World):
    order = await world.shop.create_order(external_id="S-1")
    world.olena.send_command("/start", order["telegram_link"].rsplit("=", 1)[1])
    card = await world.telegram.wait_for_message(world.olena.id, "S-1")
    await world.olena.press(card, "✏️ Змінити").answer()
    await world.telegram.wait_for_message(world.olena.id, "змінити")

    in_database, in_redis = await stored_states(world)
    if world.app.settings.redis_url:
        assert in_database == 0 and any(b":state" in key for key in in_redis)
    else:
        assert in_database == 1 and in_redis == []

    # The bot restarts while Olena is typing her answer.
    settings = world.app.settings
    await world.app.stop()
    restarted = Application(settings, clock=world.clock)
    await restarted.start()
    try:
        await world.telegram.wait_for_polling()
        world.olena.send_text("Колір синій замість чорного")
        alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Колір синій")
        assert "S-1" in alert.visible
        event = await world.hooks.wait_for("order.change_requested")
        assert event["comment"] == "Колір синій замість чорного"
    finally:
        await restarted.stop()
