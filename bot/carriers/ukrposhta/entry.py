"""Ukrposhta in the carrier registry: tracked when UKRPOSHTA_TRACKING_TOKEN is set."""

from __future__ import annotations

import aiohttp

from bot.carriers.tracked import TrackedCarrier
from bot.carriers.ukrposhta.client import UkrposhtaClient
from bot.config import Settings
from bot.domain.incidents import IncidentKind
from bot.domain.orders import Carrier


def _client(settings: Settings, http: aiohttp.ClientSession) -> UkrposhtaClient | None:
    token = settings.ukrposhta_tracking_token
    if token is None:
        return None
    return UkrposhtaClient(http, token=token.get_secret_value(), api_url=settings.ukrposhta_api_url)


UKRPOSHTA = TrackedCarrier(
    carrier=Carrier.ukrposhta,
    title="Ukrposhta",
    key_incident=IncidentKind.ukrposhta_key,
    client=_client,
    poll_interval=lambda settings: settings.ukrposhta_poll_interval,
)
