"""Pickup point directories as the settings configure them (a carrier's key set)."""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp

from bot.carriers.capabilities import PickupPoints
from bot.carriers.novaposhta.warehouses import NovaPoshtaPoints
from bot.config import Settings
from bot.domain.orders import Carrier


def point_carriers(settings: Settings) -> frozenset[str]:
    """The carriers whose points are checked and can be chosen."""
    return frozenset({Carrier.nova_poshta.value} if settings.nova_poshta_api_key else ())


def pickup_sources(settings: Settings, http: aiohttp.ClientSession) -> Mapping[str, PickupPoints]:
    sources: dict[str, PickupPoints] = {}
    key = settings.nova_poshta_api_key
    if key is not None:
        sources[Carrier.nova_poshta.value] = NovaPoshtaPoints(
            http, api_key=key.get_secret_value(), api_url=settings.nova_poshta_api_url
        )
    return sources
