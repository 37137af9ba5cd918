"""End-to-end: the real application against the strict Telegram stand-in, a shop and its webhooks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import pytest

from bot.app import Application
from bot.clock import ManualClock
from bot.config import BotMode, Settings
from bot.standin import FakeGroup, FakeUser, TelegramStandin
from bot.standin.pacing import PacingClock
from storage.uow import Database
from tests.e2e.shop import SHOP_TOKEN, WEBHOOK_SECRET, ShopClient, ShopWebhooks, serve_webhooks

TOKEN = "123456789:TEST-token-abcdefghijklmnopqrstuvwxyz"
MANAGERS_CHAT = -1001234567890
MANAGER_ID = 900
OLENA_ID = 5001


@dataclass
class World:
    app: Application
    telegram: TelegramStandin
    shop: ShopClient
    hooks: ShopWebhooks
    clock: ManualClock
    pacing: PacingClock
    db: Database
    olena: FakeUser
    manager: FakeUser
    intern: FakeUser
    managers: FakeGroup
    storm_forced: bool = False

    def force_storm(self, calls: int, retry_after: int = 1) -> None:
        """Make Telegram answer the next ``calls`` sends with 429, on purpose."""
        self.storm_forced = True
        self.telegram.force_storm(calls, retry_after)


@pytest.fixture
def extra_settings() -> dict[str, object]:
    """Settings a test module adds or changes (override this fixture in the module)."""
    return {}


@pytest.fixture
def standin_options() -> dict[str, object]:
    """How a test module wants the Telegram stand-in (override this fixture in the module)."""
    return {}


@pytest.fixture
async def world(
    db: Database,
    database_url: str,
    clock: ManualClock,
    extra_settings: dict[str, object],
    standin_options: dict[str, object],
) -> AsyncIterator[World]:
    # Telegram's pace in virtual time: the bot's limiter and the stand-in's flood control share
    # it, so every limit holds as in real time and waiting for a slot costs nothing.
    pacing = PacingClock()
    telegram = TelegramStandin(
        TOKEN, bot_username="vykup_test_bot", flood_clock=pacing.now, **standin_options
    )  # type: ignore[arg-type]
    olena = telegram.add_user(
        OLENA_ID, "Олена", username="olena", language_code="uk", phone="+380501234567"
    )
    manager = telegram.add_user(MANAGER_ID, "Марія", username="maria", language_code="uk")
    intern = telegram.add_user(901, "Стажер", language_code="uk")
    managers = telegram.add_group(MANAGERS_CHAT, "Менеджери", [manager, intern])
    async with telegram.serve() as telegram_url, serve_webhooks() as hooks:
        values: dict[str, object] = {
            "bot_token": TOKEN,
            "telegram_api_url": telegram_url,
            "database_url": database_url,
            "manager_chat_id": MANAGERS_CHAT,
            "admin_ids": str(MANAGER_ID),
            "api_port": 0,
            "shop_api_token": SHOP_TOKEN,
            "shop_webhook_url": hooks.url,
            "shop_webhook_secret": WEBHOOK_SECRET,
            "confirm_reminder_after": timedelta(minutes=15),
            "confirm_escalate_after": timedelta(minutes=60),
            "digest_at": None,  # the digest has its own tests; here it would only crowd the chat
            # Stalled parcels too (tests/e2e/test_stalled.py turns them on): days of virtual time
            # would announce every parcel left waiting.
            "stall_not_shipped": None,
            "stall_not_scanned": None,
            "stall_in_transit": None,
            "stall_storage_left": None,
        }
        settings = Settings(_env_file=None, **(values | extra_settings))  # type: ignore[call-arg,arg-type]
        app = Application(settings, clock=clock, pacing=pacing)
        world: World | None = None
        await app.start()
        try:
            if settings.bot_mode is BotMode.polling:
                await telegram.wait_for_polling()
            async with aiohttp.ClientSession() as http:
                shop = ShopClient(http, f"http://127.0.0.1:{app.api_port}")
                world = World(
                    app, telegram, shop, hooks, clock, pacing, db, olena, manager, intern, managers
                )
                yield world
        finally:
            await asyncio.wait_for(app.stop(), timeout=20)
    # The bot itself must never break Telegram's rules; 429s only where a test forced them.
    storm = world is not None and world.storm_forced
    broken = [c for c in telegram.violations if not (storm and c.status == 429)]
    assert not broken, [f"{c.method}: {c.description}" for c in broken]
