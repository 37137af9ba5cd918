"""ShopifyAdapter: a Shopify shop behind :class:`bot.connectors.base.Adapter`.

The shop owner creates a custom app in the Shopify admin with the ``read_orders`` and
``write_orders`` scopes; its Admin API access token calls the API and its client secret is the
key Shopify signs webhooks with.

``ConnectionInfo.options`` it reads (all optional):

- ``api_version``: the Admin API version (default ``2026-07``).
- ``cancel_orders``: ``"1"`` cancels the Shopify order (restocking it) when the customer cancels
  in Vykup; otherwise the order is only tagged and noted.
- ``cod_gateways``: comma-separated names of the shop's own manual cash-on-delivery methods,
  beside Shopify's "Cash on Delivery (COD)".
- ``point_attribute``: the order attribute (``note_attributes`` name) a checkout app stores the
  Nova Poshta branch in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar, Final

import aiohttp

from bot.connectors.base import (
    ChangedOrders,
    ConnectFailed,
    ConnectionInfo,
    Inbound,
    Platform,
    PlatformRejected,
    PlatformUpdate,
    Registration,
    RemoteOrder,
)
from bot.connectors.shopify import admin
from bot.connectors.shopify.client import endpoint
from bot.connectors.shopify.inbound import read
from bot.connectors.shopify.mapping import DEFAULT_MAPPING, tag_for
from bot.connectors.shopify.signature import is_signed
from bot.domain.shop_events import ShopEvent

# orders/create is the first word of a new order; orders/updated carries every later change
# (edits, fulfillments, a cancellation, payment); orders/cancelled is subscribed on its own so
# that the change that matters most before shipping never depends on another topic.
TOPICS: Final = ("ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_CANCELLED")
REQUIRED_SCOPES: Final = ("read_orders", "write_orders")
# Shopify grants the read scope with the write one.
_IMPLIED_BY: Final = {"read_orders": "write_orders"}


def _topic_name(topic: str) -> str:
    """``ORDERS_CREATE`` → ``orders/create``, as the owner sees topics in the admin."""
    head, _, tail = topic.lower().partition("_")
    return f"{head}/{tail}"


def _connect_failure(exc: PlatformRejected, connection: ConnectionInfo) -> ConnectFailed:
    url = endpoint(connection)
    if exc.status == 0:
        return ConnectFailed(exc.message)
    if exc.status == 401:
        return ConnectFailed(
            f"Shopify refused the Admin API access token (HTTP 401: {exc.message}); "
            "copy the token of the custom app again"
        )
    if exc.status == 403:
        return ConnectFailed(f"Shopify refused access (HTTP 403: {exc.message})")
    if exc.status == 404:
        return ConnectFailed(
            f"no Shopify Admin API at {url} (HTTP 404); the address is https://<shop>.myshopify.com"
        )
    return ConnectFailed(f"Shopify answered {url} with an error: {exc}")


class ShopifyAdapter:
    """Stateless: every call takes what it needs from the connection."""

    platform: ClassVar[Platform] = Platform.shopify
    default_api_url: ClassVar[str | None] = None
    credential_names: ClassVar[tuple[str, ...]] = ("token", "client_secret")
    default_mapping: ClassVar[Mapping[ShopEvent, str]] = DEFAULT_MAPPING

    def signing_secret(self, credentials: Mapping[str, str]) -> str | None:
        return credentials.get("client_secret") or None

    def verify(self, connection: ConnectionInfo, headers: Mapping[str, str], body: bytes) -> bool:
        return is_signed(headers, body, connection.signing_secret)

    def parse(self, connection: ConnectionInfo, headers: Mapping[str, str], body: bytes) -> Inbound:
        return read(headers, body, connection.options)

    async def fetch(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, remote_id: str
    ) -> RemoteOrder:
        # Every Shopify order webhook carries the whole order, so parse never asks for a fetch.
        raise PlatformRejected(
            501, "Shopify webhooks carry the whole order; fetching one is not implemented"
        )

    async def check(self, http: aiohttp.ClientSession, connection: ConnectionInfo) -> str:
        try:
            shop = await admin.shop(http, connection)
        except PlatformRejected as exc:
            raise _connect_failure(exc, connection) from None
        missing = [
            scope
            for scope in REQUIRED_SCOPES
            if scope not in shop.scopes and _IMPLIED_BY.get(scope) not in shop.scopes
        ]
        if missing:
            raise ConnectFailed(
                f"the app's access token lacks the {', '.join(missing)} permission; in the "
                "custom app's Admin API scopes tick read_orders and write_orders, save, and "
                "reinstall the app"
            )
        return shop.name or shop.domain

    async def register(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo
    ) -> Registration:
        url = connection.webhook_url
        try:
            existing = await admin.subscriptions(http, connection)
            done = []
            for topic in TOPICS:
                shown = _topic_name(topic)
                if any(s.topic == topic and s.uri == url for s in existing):
                    done.append(f"webhook {shown} → {url} already registered; kept")
                    continue
                await admin.create_subscription(http, connection, topic, url)
                done.append(f"webhook {shown} → {url} registered")
        except PlatformRejected as exc:
            if exc.status == 422:
                raise ConnectFailed(f"Shopify refused the webhook: {exc.message}") from None
            raise _connect_failure(exc, connection) from None
        return Registration(done=done)

    async def unregister(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo
    ) -> list[str]:
        url = connection.webhook_url
        try:
            ours = [s for s in await admin.subscriptions(http, connection) if s.uri == url]
            for subscription in ours:
                await admin.delete_subscription(http, connection, subscription.id)
        except PlatformRejected as exc:
            raise _connect_failure(exc, connection) from None
        if not ours:
            return [f"no webhook to {url} was registered; nothing removed"]
        return [f"webhook {_topic_name(s.topic)} → {url} removed" for s in ours]

    async def changed_since(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, since: datetime
    ) -> ChangedOrders | None:
        """Not read yet: Shopify's own webhook retries are relied on."""
        return None

    async def apply(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, update: PlatformUpdate
    ) -> None:
        if update.event is None:
            return  # for the customer only: Shopify shows a customer no note
        # The order is read first: a missing order is a 404 before anything is changed, and its
        # note tells whether this event's note is already there (a repeated delivery).
        state = await admin.order_state(http, connection, update.remote_id)
        tag = tag_for(update.event, connection.mapping)
        if tag and tag not in state.tags:
            await admin.add_tags(http, connection, update.remote_id, [tag])
        if update.note and update.marker not in state.note:
            line = f"{update.note} {update.marker}"
            # orderUpdate replaces the whole note: what the shop wrote stays above.
            note = f"{state.note}\n{line}" if state.note else line
            await admin.set_note(http, connection, update.remote_id, note)
        wants_cancel = connection.options.get("cancel_orders") == "1"
        if wants_cancel and update.event is ShopEvent.order_cancelled and not state.cancelled:
            await admin.cancel(http, connection, update.remote_id, update.note or "")
