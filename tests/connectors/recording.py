"""A platform of the tests' own for the connector framework: it records what Vykup asks of it and
fails on request. The real platforms have their own fakes (``tests/connectors/fakes``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import aiohttp

from bot.connectors.base import (
    ChangedOrders,
    ConnectFailed,
    ConnectionInfo,
    Inbound,
    InboundKind,
    InvalidInbound,
    Platform,
    PlatformRejected,
    PlatformUpdate,
    Registration,
    RemoteOrder,
)
from bot.domain.shop_events import ShopEvent
from storage.models import Connection
from tests.factories import new_order


@dataclass
class RecordingAdapter:
    """Stands for WooCommerce (its ``platform``) without speaking HTTP."""

    platform: Platform = Platform.woocommerce
    default_api_url: str | None = None
    credential_names: tuple[str, ...] = ("key", "secret")
    default_mapping: Mapping[ShopEvent, str] = field(
        default_factory=lambda: {ShopEvent.order_confirmed: "processing"}
    )
    applied: list[tuple[str, PlatformUpdate]] = field(default_factory=list)
    fail_with: list[PlatformRejected] = field(default_factory=list)  # raised by the next calls
    orders: dict[str, RemoteOrder] = field(default_factory=dict)  # what ``fetch`` finds
    pages: list[ChangedOrders] = field(default_factory=list)  # what ``changed_since`` lists
    asked_since: list[datetime] = field(default_factory=list)
    unregistered: list[str] = field(default_factory=list)  # the addresses ``unregister`` was given
    instructions: list[str] = field(default_factory=list)  # ``register``'s steps by hand

    def signing_secret(self, credentials: Mapping[str, str]) -> str | None:
        return None

    def verify(self, connection: ConnectionInfo, headers: Mapping[str, str], body: bytes) -> bool:
        return headers.get("x-test-signature") == connection.signing_secret

    def parse(self, connection: ConnectionInfo, headers: Mapping[str, str], body: bytes) -> Inbound:
        """``{"kind": "order"|"fetch"|"ping", "id": …, "name": …}``: the test's own format."""
        try:
            data = json.loads(body)
            kind = InboundKind(data["kind"])
        except (ValueError, KeyError, TypeError):
            raise InvalidInbound("kind", "must be order, fetch or ping") from None
        if kind is InboundKind.fetch:
            return Inbound(kind, remote_id=str(data["id"]))
        if kind is not InboundKind.order:
            return Inbound(kind)
        order = replace(new_order(str(data["id"])), customer_name=data.get("name", "Олена"))
        remote = RemoteOrder(
            remote_id=str(data["id"]), number=str(data["id"]), updated_at=None, order=order
        )
        return Inbound(kind, order=remote, topic="order.created")

    async def fetch(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, remote_id: str
    ) -> RemoteOrder:
        self._maybe_fail()
        return self.orders[remote_id]

    async def check(self, http: aiohttp.ClientSession, connection: ConnectionInfo) -> str:
        if connection.credentials.get("key") == "wrong":
            raise ConnectFailed("the platform refused the key (401)")
        return "Test shop"

    async def register(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo
    ) -> Registration:
        return Registration(
            done=[f"webhook at {connection.webhook_url}"], instructions=list(self.instructions)
        )

    async def unregister(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo
    ) -> list[str]:
        self.unregistered.append(connection.webhook_url)
        return [f"webhook at {connection.webhook_url} removed"]

    async def apply(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, update: PlatformUpdate
    ) -> None:
        self._maybe_fail()
        self.applied.append((connection.mapping.get(str(update.event), ""), update))

    async def changed_since(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, since: datetime
    ) -> ChangedOrders | None:
        self._maybe_fail()
        self.asked_since.append(since)
        return self.pages.pop(0) if self.pages else ChangedOrders([], None, more=False)

    def _maybe_fail(self) -> None:
        if self.fail_with:
            raise self.fail_with.pop(0)


def stored_connection(now: datetime, *, name: str = "woocommerce") -> Connection:
    return Connection(
        name=name,
        platform=Platform.woocommerce.value,
        api_url="https://shop.example",
        credentials={"key": "ck_test", "secret": "cs_test"},
        signing_secret="signing-secret",
        key=f"key-of-{name}",
        mapping={},
        options={},
        state="active",
        created_at=now,
        updated_at=now,
    )
