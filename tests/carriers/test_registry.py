"""The carrier registry: what the application needs for each carrier, and nothing named twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.carriers.registry import all_carriers
from bot.config import Settings
from bot.i18n import Catalogs
from bot.texts import incidents

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstu"
CONFIGURED = {"nova_poshta_api_key": "np-key", "ukrposhta_tracking_token": "up-token"}


def settings(**values: object) -> Settings:
    return Settings(bot_token=TOKEN, _env_file=None, **values)  # type: ignore[arg-type,call-arg]


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def test_each_carrier_once_with_its_own_incident():
    entries = all_carriers()
    assert len({e.carrier for e in entries}) == len(entries)
    assert len({e.key_incident for e in entries}) == len(entries)
    assert len({e.loop_name for e in entries}) == len(entries)


async def test_a_carrier_is_tracked_only_when_configured(http: aiohttp.ClientSession):
    bare = settings()
    assert [e.client(bare, http) for e in all_carriers()] == [None] * len(all_carriers())
    full = settings(**CONFIGURED, ukrposhta_poll_interval="10m")
    for entry in all_carriers():
        client = entry.client(full, http)
        assert client is not None and client.name == entry.carrier.value
        assert client.max_batch > 0
    [ukrposhta] = [e for e in all_carriers() if e.carrier.value == "ukrposhta"]
    assert ukrposhta.poll_interval(full) == timedelta(minutes=10)


@pytest.mark.parametrize("language", ["uk", "ru", "en"])
def test_every_key_incident_has_its_texts(catalogs: Catalogs, language: str):
    t = catalogs(language)
    since = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    for entry in all_carriers():
        opened = incidents.opened(t, entry.key_incident, "HTTP 401", since, since)
        resolved = incidents.resolved(t, entry.key_incident, since, since + timedelta(hours=1))
        assert "HTTP 401" in opened and "10:00" in opened and "11:00" in resolved
