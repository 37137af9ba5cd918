"""A fake KeyCRM account served locally, an HTTP session and connections to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

import aiohttp
import pytest

from bot.connectors.base import ConnectionInfo, Platform
from bot.connectors.keycrm import KeyCrmAdapter
from tests.connectors.fakes.keycrm import DEFAULT_API_KEY, FakeKeyCrm, serve

WEBHOOK_URL = "https://vykup.example/connect/keycrm/k3yCrM-l0ng-r4nd0m-k3y"


def connection(
    api_url: str,
    *,
    api_key: str = DEFAULT_API_KEY,
    mapping: Mapping[str, str] | None = None,
    options: Mapping[str, str] | None = None,
    webhook_url: str = WEBHOOK_URL,
) -> ConnectionInfo:
    return ConnectionInfo(
        name="shop",
        platform=Platform.keycrm,
        api_url=api_url,
        credentials={"api_key": api_key},
        signing_secret="",
        webhook_url=webhook_url,
        mapping=dict(mapping or {}),
        options=dict(options or {}),
    )


@pytest.fixture
def adapter() -> KeyCrmAdapter:
    return KeyCrmAdapter()


@pytest.fixture
def fake() -> FakeKeyCrm:
    return FakeKeyCrm()


@pytest.fixture
async def api_url(fake: FakeKeyCrm) -> AsyncIterator[str]:
    async with serve(fake) as url:
        yield url


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
