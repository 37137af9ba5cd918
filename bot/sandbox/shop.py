"""The shop side of the sandbox: calls to the real shop API and the webhooks it gets back."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

from bot.delivery.signing import verify

API_PREFIX = "/api/v1/"
TRACKING_BASE = 20_450_000_000_000  # Nova Poshta waybills: 14 digits, starting 20…
SHIPMENT_EVENTS = ("arrived", "received", "refused", "delivery_failed", "storage_ended")


@dataclass
class ShopEntry:
    """One line of the shop panel's log: a request it made, or a webhook it received."""

    seq: int
    at: datetime
    kind: str  # request | webhook
    title: str
    status: int | None
    body: Any
    ok: bool

    def view(self, tz: tzinfo) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.astimezone(tz).strftime("%H:%M:%S"),
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "body": self.body,
            "ok": self.ok,
        }


@dataclass
class ShopState:
    """What the shop panel knows: its log, its orders' waybills, the next order number."""

    api_url: str
    token: str
    webhook_secret: str
    entries: list[ShopEntry] = field(default_factory=list)
    waybills: dict[str, str] = field(default_factory=dict)  # external_id -> tracking number
    orders: list[str] = field(default_factory=list)
    next_number: int = 1001
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def log(self, kind: str, title: str, status: int | None, body: Any, now: datetime) -> None:
        ok = status is not None and 200 <= status < 300
        self.entries.append(ShopEntry(next(self._seq), now, kind, title, status, body, ok))
        del self.entries[:-200]  # the panel shows the latest; older lines are not needed

    def next_tracking(self) -> str:
        return str(TRACKING_BASE + len(self.waybills) + 1)


class ShopClient:
    """Calls the bot's real shop API with the shop's token, logging each call for the panel."""

    def __init__(self, state: ShopState, http: aiohttp.ClientSession) -> None:
        self.state = state
        self._http = http

    async def call(self, method: str, path: str, body: Any, now: datetime) -> tuple[int, Any]:
        if not path.startswith(API_PREFIX):
            raise ValueError(path)
        headers = {"Authorization": f"Bearer {self.state.token}"}
        async with self._http.request(
            method, self.state.api_url + path, json=body, headers=headers
        ) as response:
            text = await response.text()
            try:
                answer: Any = json.loads(text)
            except ValueError:
                answer = text
            self.state.log("request", f"{method} {path}", response.status, answer, now)
            return response.status, answer

    async def create_order(self, payload: Any, now: datetime) -> tuple[int, Any]:
        status, answer = await self.call("POST", f"{API_PREFIX}orders", payload, now)
        external_id = payload.get("external_id") if isinstance(payload, dict) else None
        if status in (200, 201) and isinstance(external_id, str):
            if external_id not in self.state.orders:
                self.state.orders.append(external_id)
            self.state.next_number += 1
        return status, answer

    async def ship(self, external_id: str, now: datetime) -> tuple[int, Any]:
        tracking = self.state.waybills.get(external_id) or self.state.next_tracking()
        body = {"carrier": "nova_poshta", "tracking_number": tracking}
        status, answer = await self.call(
            "POST", f"{API_PREFIX}orders/{quote(external_id, safe='')}/shipment", body, now
        )
        if status in (200, 201):
            self.state.waybills[external_id] = tracking
        return status, answer

    async def event(
        self, external_id: str, kind: str, now: datetime, today: date
    ) -> tuple[int, Any]:
        tracking = self.state.waybills.get(external_id)
        if tracking is None:
            raise LookupError(external_id)
        body: dict[str, Any] = {"status": kind, "occurred_at": now.isoformat()}
        if kind == "arrived":
            body["storage_until"] = (today + timedelta(days=5)).isoformat()
            body["point"] = "Відділення №12, вул. Хрещатик, 22"
        return await self.call("POST", f"{API_PREFIX}shipments/{tracking}/events", body, now)


def webhook_receiver(state: ShopState, now: Any, changed: Any) -> web.RouteTableDef:
    """The shop's webhook endpoint: checks the signature and logs the event for the panel."""
    routes = web.RouteTableDef()

    @routes.post("/shop/webhook")
    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        # Standard Webhooks, as a shop's library checks it: against this machine's clock, not the
        # sandbox's moved one (the bot stamps deliveries with the wall clock too).
        signed = verify(state.webhook_secret, dict(request.headers), body, datetime.now(UTC))
        try:
            event: Any = json.loads(body)
        except ValueError:
            event = body.decode("utf-8", "replace")
        title = event.get("event", "?") if isinstance(event, dict) else "?"
        state.log("webhook", str(title), 200 if signed else 401, event, now())
        changed()
        return web.json_response({"ok": signed}, status=200 if signed else 401)

    return routes
