"""Fixtures: the fake shop, a connection to it, and a receiver standing in for Vykup's
``/connect/shopify/<key>`` route (it verifies and parses with the adapter, as the framework will)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.connectors.base import ConnectionInfo, Inbound, InvalidInbound, Platform
from bot.connectors.shopify import ShopifyAdapter
from tests.connectors.fakes.shopify import REFDATA, FakeShopify, serve


@dataclass
class Received:
    topic: str | None
    webhook_id: str | None
    verified: bool
    inbound: Inbound | None
    refused: InvalidInbound | None


@dataclass
class Receiver:
    """Records what reached the webhook address; ``arrived`` is set on each delivery."""

    adapter: ShopifyAdapter
    connection: ConnectionInfo | None = None
    received: list[Received] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        assert self.connection is not None
        body = await request.read()
        headers = dict(request.headers)
        verified = self.adapter.verify(self.connection, headers, body)
        inbound: Inbound | None = None
        refused: InvalidInbound | None = None
        if verified:
            try:
                inbound = self.adapter.parse(self.connection, headers, body)
            except InvalidInbound as exc:
                refused = exc
        self.received.append(
            Received(
                topic=headers.get("X-Shopify-Topic"),
                webhook_id=headers.get("X-Shopify-Webhook-Id"),
                verified=verified,
                inbound=inbound,
                refused=refused,
            )
        )
        self.arrived.set()
        if not verified:
            return web.Response(status=401)
        return web.Response(status=422 if refused else 200)


@pytest.fixture(autouse=True)
def _refdata_present() -> None:
    if not REFDATA.is_dir():
        pytest.skip(f"Shopify reference data not found at {REFDATA}")


@pytest.fixture
def adapter() -> ShopifyAdapter:
    return ShopifyAdapter()


@pytest.fixture
def fake() -> FakeShopify:
    return FakeShopify()


@pytest.fixture
async def api_url(fake: FakeShopify) -> AsyncIterator[str]:
    async with serve(fake) as url:
        yield url


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def receiver(adapter: ShopifyAdapter) -> AsyncIterator[tuple[Receiver, str]]:
    receiver = Receiver(adapter)
    app = web.Application()
    app.router.add_post("/connect/shopify/{key}", receiver.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield receiver, f"http://{host}:{port}/connect/shopify/k3y-long-and-random"
    finally:
        await runner.cleanup()


def make_connection(fake: FakeShopify, address: str, **changes: Any) -> ConnectionInfo:
    connection = ConnectionInfo(
        name="shop",
        platform=Platform.shopify,
        api_url=address,
        credentials={"token": fake.token, "client_secret": fake.client_secret},
        signing_secret=fake.client_secret,
        webhook_url="https://vykup.example/connect/shopify/k3y-long-and-random",
    )
    return replace(connection, **changes)


@pytest.fixture
def connection(fake: FakeShopify, api_url: str) -> ConnectionInfo:
    return make_connection(fake, api_url)


@pytest.fixture
def connect(fake: FakeShopify, api_url: str) -> Callable[..., ConnectionInfo]:
    """A connection with some fields changed (options, mapping, credentials)."""
    return lambda **changes: make_connection(fake, api_url, **changes)
