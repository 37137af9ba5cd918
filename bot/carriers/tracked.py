"""What the application needs to know to track one carrier, whatever the carrier.

An entry says how to build the carrier's client from the settings (None while it is not
configured), how often to poll it and which incident tells the managers that it refuses Vykup's
key. Optional capabilities (check a pickup point, redirect, create a return) belong to the entry
too when a carrier gains them; tracking needs none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import aiohttp

from bot.carriers.base import CarrierClient
from bot.carriers.storage_extension import StorageExtension
from bot.config import Settings
from bot.domain.incidents import IncidentKind
from bot.domain.orders import Carrier


@dataclass(frozen=True)
class TrackedCarrier:
    carrier: Carrier  # as shipments store it; the client's ``name`` is its value
    title: str  # for logs and the poll loop's name, "Nova Poshta" → "Nova Poshta tracking"
    key_incident: IncidentKind
    client: Callable[[Settings, aiohttp.ClientSession], CarrierClient | None]
    poll_interval: Callable[[Settings], timedelta]
    # Optional capability: extend a waiting parcel's free storage (None: the carrier cannot, or
    # not while unconfigured).
    storage_extension: Callable[[Settings, aiohttp.ClientSession], StorageExtension | None] = (
        lambda _settings, _http: None
    )

    @property
    def loop_name(self) -> str:
        return f"{self.title} tracking"
