"""Fixtures: the fake shop served locally, a receiver standing in for Vykup's webhook URL, and a
connection between them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace

import aiohttp
import pytest
from aiohttp import web

from bot.connectors.base import ConnectionInfo, Platform
from bot.connectors.woocommerce import WooCommerceAdapter
from tests.connectors.fakes.woocommerce import FakeWooCommerce, serve

SIGNING_SECRET = "vykup-made-this-secret-per-connection"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Vykup's ``/connect/woocommerce/<key>`` stand-in: answers 200 and keeps what came."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    arrived: asyncio.Queue[Received] = field(default_factory=asyncio.Queue)

    async def handle(self, request: web.Request) -> web.Response:
        item = Received(dict(request.headers), await request.read())
        self.received.append(item)
        self.arrived.put_nowait(item)
        return web.Response(text="ok")

    async def next(self) -> Received:
        return await asyncio.wait_for(self.arrived.get(), timeout=5)


@pytest.fixture
def adapter() -> WooCommerceAdapter:
    return WooCommerceAdapter()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    target = Receiver()
    app = web.Application()
    app.router.add_post("/connect/woocommerce/{key}", target.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    target.url = f"http://{host}:{port}/connect/woocommerce/k3y-0f-this-connection"
    try:
        yield target
    finally:
        await runner.cleanup()


@pytest.fixture
def fake() -> FakeWooCommerce:
    return FakeWooCommerce()


@pytest.fixture
async def shop_url(fake: FakeWooCommerce) -> AsyncIterator[str]:
    async with serve(fake) as url:
        yield url


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def connection(fake: FakeWooCommerce, shop_url: str, receiver: Receiver) -> ConnectionInfo:
    return ConnectionInfo(
        name="flowers",
        platform=Platform.woocommerce,
        api_url=shop_url,
        credentials={"key": fake.key, "secret": fake.secret},
        signing_secret=SIGNING_SECRET,
        webhook_url=receiver.url,
    )


def with_credentials(connection: ConnectionInfo, key: str, secret: str) -> ConnectionInfo:
    return replace(connection, credentials={"key": key, "secret": secret})
