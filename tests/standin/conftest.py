"""Fixtures for the Telegram stand-in: a manual clock, the stand-in, a real aiogram Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.standin import FakeUser, TelegramStandin

TOKEN = "123456789:AAE-standin_test_token"


class ManualSeconds:
    """Monotonic seconds that only move when a test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class QuickCloseSession(AiohttpSession):
    """AiohttpSession without the 250 ms SSL grace sleep on close (plain HTTP here)."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def make_bot(base_url: str, token: str = TOKEN) -> Bot:
    session = QuickCloseSession(api=TelegramAPIServer.from_base(base_url))
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode="HTML"))


@pytest.fixture
def seconds() -> ManualSeconds:
    return ManualSeconds()


@pytest.fixture
def standin(seconds: ManualSeconds) -> TelegramStandin:
    return TelegramStandin(TOKEN, clock=seconds)


@pytest.fixture
async def base_url(standin: TelegramStandin) -> AsyncIterator[str]:
    async with standin.serve() as url:
        yield url


@pytest.fixture
async def bot(base_url: str) -> AsyncIterator[Bot]:
    bot = make_bot(base_url)
    yield bot
    await bot.session.close()


@pytest.fixture
def olena(standin: TelegramStandin) -> FakeUser:
    """A user who has pressed Start."""
    user = standin.add_user(1001, "Олена", username="olena", phone="380501112233")
    user.send_command("/start")
    return user
