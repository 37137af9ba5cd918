"""The shop's side in end-to-end tests: its API client and a webhook receiver that checks signatures."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from standardwebhooks import Webhook, WebhookVerificationError

from bot.delivery.webhooks import sign
from tests.factories import order_payload

# A Standard Webhooks secret (base64 of 32 bytes): the shop verifies with the reference library.
WEBHOOK_SECRET = "whsec_dGVzdC1vbmx5LXNlY3JldC1mb3ItdGhlLXNob3Atd2ViaG9vaw=="
SHOP_TOKEN = "shop-token-for-tests"


@dataclass
class ShopWebhooks:
    """Receives the bot's events like a shop would; fails the first ``fail_next`` deliveries."""

    events: list[dict[str, Any]] = field(default_factory=list)
    bad_signatures: int = 0
    fail_next: int = 0
    url: str = ""
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            Webhook(WEBHOOK_SECRET).verify(body, dict(request.headers))
        except WebhookVerificationError:
            self.bad_signatures += 1
            return web.Response(status=401)
        if request.headers.get("X-Vykup-Signature") != sign(body, WEBHOOK_SECRET):
            self.bad_signatures += 1  # the deprecated header goes on until receivers moved
            return web.Response(status=401)
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.Response(status=503)
        self.events.append(json.loads(body))
        self._arrived.set()
        return web.json_response({"ok": True})

    async def wait_for(self, event: str, timeout: float = 5.0) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                for received in self.events:
                    if received["event"] == event:
                        return received
                self._arrived.clear()
                await self._arrived.wait()

    async def wait_for_count(self, event: str, count: int, timeout: float = 5.0) -> None:
        """Until ``count`` events of this kind have arrived (separate lanes race each other)."""
        async with asyncio.timeout(timeout):
            while sum(received["event"] == event for received in self.events) < count:
                self._arrived.clear()
                await self._arrived.wait()

    def names(self) -> list[str]:
        return [event["event"] for event in self.events]


@asynccontextmanager
async def serve_webhooks() -> AsyncIterator[ShopWebhooks]:
    hooks = ShopWebhooks()
    app = web.Application()
    app.router.add_post("/hooks/vykup", hooks.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    hooks.url = f"http://{host}:{port}/hooks/vykup"
    try:
        yield hooks
    finally:
        await runner.cleanup()


class ShopClient:
    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self._session = session
        self._base = base_url
        self._headers = {"Authorization": f"Bearer {SHOP_TOKEN}"}

    async def create_order(self, **overrides: Any) -> dict[str, Any]:
        payload = order_payload(**overrides)
        async with self._session.post(
            f"{self._base}/api/v1/orders", json=payload, headers=self._headers
        ) as r:
            body = await r.json()
            assert r.status in (200, 201), body
            return body

    async def get_order(self, external_id: str) -> dict[str, Any]:
        async with self._session.get(
            f"{self._base}/api/v1/orders/{external_id}", headers=self._headers
        ) as r:
            assert r.status == 200
            return await r.json()
