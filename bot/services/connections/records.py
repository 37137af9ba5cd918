"""A stored connection as a connector sees it, and the address its platform delivers to."""

from __future__ import annotations

from bot.connectors.base import ConnectionInfo, Platform
from storage.models import Connection

WEBHOOK_PATH = "/connect/{platform}/{key}"


def webhook_url(public_url: str | None, platform: Platform, key: str) -> str:
    base = (public_url or "").rstrip("/")
    return base + WEBHOOK_PATH.format(platform=platform.value, key=key)


def connection_info(connection: Connection, public_url: str | None) -> ConnectionInfo:
    """``public_url`` None: the address the webhooks were registered at, if any."""
    platform = Platform(connection.platform)
    return ConnectionInfo(
        name=connection.name,
        platform=platform,
        api_url=connection.api_url,
        credentials=dict(connection.credentials),
        signing_secret=connection.signing_secret or "",
        webhook_url=(
            webhook_url(public_url, platform, connection.key)
            if public_url or not connection.registered_url
            else connection.registered_url
        ),
        mapping=dict(connection.mapping),
        options=dict(connection.options),
    )
