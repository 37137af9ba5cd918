"""Fixtures for carrier tests: the real NP samples, a fake NP server, a client pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.carriers.novaposhta.client import NovaPoshtaClient
from tests.carriers.fake_novaposhta import FakeNovaPoshta, Samples, serve

API_KEY = "test-np-key"


@pytest.fixture(scope="session")
def samples() -> Samples:
    return Samples.load()


@pytest.fixture
def fake_np(samples: Samples) -> FakeNovaPoshta:
    return FakeNovaPoshta(samples)


@pytest.fixture
async def np_url(fake_np: FakeNovaPoshta) -> AsyncIterator[str]:
    async with serve(fake_np) as url:
        yield url


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def np_client(http: aiohttp.ClientSession, np_url: str) -> NovaPoshtaClient:
    return NovaPoshtaClient(http, api_key=API_KEY, api_url=np_url, timeout=5.0)
