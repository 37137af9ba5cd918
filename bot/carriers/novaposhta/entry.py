"""Nova Poshta in the carrier registry: tracked when NOVA_POSHTA_API_KEY is set."""

from __future__ import annotations

import aiohttp

from bot.carriers.novaposhta.client import NovaPoshtaClient
from bot.carriers.novaposhta.storage import NovaPoshtaStorageExtension
from bot.carriers.tracked import TrackedCarrier
from bot.config import Settings
from bot.domain.incidents import IncidentKind
from bot.domain.orders import Carrier


def _client(settings: Settings, http: aiohttp.ClientSession) -> NovaPoshtaClient | None:
    key = settings.nova_poshta_api_key
    if key is None:
        return None
    return NovaPoshtaClient(
        http, api_key=key.get_secret_value(), api_url=settings.nova_poshta_api_url
    )


def _storage_extension(
    settings: Settings, http: aiohttp.ClientSession
) -> NovaPoshtaStorageExtension | None:
    key = settings.nova_poshta_api_key
    if key is None:
        return None
    # A customer waits for the answer in the chat: a shorter timeout than tracking's.
    return NovaPoshtaStorageExtension(
        http, api_key=key.get_secret_value(), api_url=settings.nova_poshta_api_url, timeout=10.0
    )


NOVA_POSHTA = TrackedCarrier(
    carrier=Carrier.nova_poshta,
    title="Nova Poshta",
    key_incident=IncidentKind.novaposhta_key,
    client=_client,
    poll_interval=lambda settings: settings.nova_poshta_poll_interval,
    storage_extension=_storage_extension,
)
