"""Fixtures: the fake TurboSMS served locally and a gateway pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.channels.turbosms import TurboSmsGateway
from tests.channels.fakes.turbosms import FakeTurboSms, serve


@pytest.fixture
def fake() -> FakeTurboSms:
    return FakeTurboSms()


@pytest.fixture
async def api_url(fake: FakeTurboSms) -> AsyncIterator[str]:
    async with serve(fake) as url:
        yield url


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def gateway(fake: FakeTurboSms, api_url: str) -> TurboSmsGateway:
    return TurboSmsGateway(fake.token, fake.sms_sender, fake.viber_sender, api_url=api_url)
