"""Fixtures for delivery tests: fake Telegram and shop servers, a bot pointed at them, a worker."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.botapi.rate_limit import RateLimiter
from bot.clock import ManualClock
from bot.delivery.worker import OutboxWorker
from storage.uow import Database
from tests.delivery.fakes import FakeShop, FakeTelegram, serve

SECRET = "whsec_ZGVsaXZlcnktdGVzdHMtc2hvcC1zZWNyZXQtMzJieXRl"  # Standard Webhooks form


class QuickCloseSession(AiohttpSession):
    """No 250 ms SSL grace sleep on close: the fakes speak plain HTTP."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def shop() -> FakeShop:
    return FakeShop(SECRET)


@pytest.fixture
async def base_url(telegram: FakeTelegram, shop: FakeShop) -> AsyncIterator[str]:
    async with serve(telegram, shop) as url:
        yield url


@pytest.fixture
async def bot(base_url: str) -> AsyncIterator[Bot]:
    session = QuickCloseSession(api=TelegramAPIServer.from_base(base_url))
    bot = Bot("42:TEST-TOKEN", session=session)
    try:
        yield bot
    finally:
        await bot.session.close()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


class Unreachable:
    """Records ``on_unreachable`` calls."""

    def __init__(self) -> None:
        self.chats: list[int] = []

    async def __call__(self, chat_id: int) -> None:
        self.chats.append(chat_id)


@pytest.fixture
def unreachable() -> Unreachable:
    return Unreachable()


def fast_limiter() -> RateLimiter:
    """Telegram's shape of limits, scaled down so tests run in milliseconds."""
    return RateLimiter(per_second=2000, private_interval=0.002, group_interval=0.004)


MakeWorker = Callable[..., OutboxWorker]


@pytest.fixture
def make_worker(
    db: Database,
    bot: Bot,
    http: aiohttp.ClientSession,
    unreachable: Unreachable,
) -> MakeWorker:
    def make(**overrides: Any) -> OutboxWorker:
        options: dict[str, Any] = {
            "http": http,
            "webhook_secret": SECRET,
            "on_unreachable": unreachable,
            "limiter": fast_limiter(),
            "poll_interval": 0.05,
            "jitter_draw": lambda: 0.0,  # the plain backoff; jitter has its own test
        }
        options.update(overrides)
        worker = OutboxWorker(db, bot, **options)
        db.on_commit(worker.wake)
        return worker

    return make


def later(clock: ManualClock, seconds: float) -> None:
    clock.advance(timedelta(seconds=seconds))
