"""A local fake of Ukrposhta's StatusTracking API, answering from the real sample.

``POST <base>/statuses/with-not-found`` with ``Authorization: Bearer <token>`` and a JSON array of
barcodes answers ``{"found": {barcode: [event, …]}, "notFound": [...]}`` like the RomaBilka
fixture; ``<base>/statuses/last/with-not-found`` answers ``found`` as a flat list of last events
(X1). Barcodes known: the sample's two parcels and whatever a test registers; every other barcode
is not found — and when none is found the answer is HTTP 404 ``UPE02000`` (refdata "errors").

Where the refdata is silent the fake says so: a wrong token gets 401 (no sample of Ukrposhta's
body exists; the SDK (T) only checks for non-200), more than 100 barcodes get 400 (the ceiling is
documented, the answer to breaking it is not), and the 404's body shape (code + message) is
X1's wording without a sample.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aiohttp import web

from tests.carriers import ukrposhta_refdata

BASE = "/status-tracking/0.0.1"
MAX_BARCODES = 100
TOKEN = "0e8e4b3c-6f1a-4c55-9d3e-1f7a2b9c8d70"  # a StatusTracking bearer is a UUID (refdata auth)


class Mode(StrEnum):
    normal = "normal"
    slow = "slow"  # never answers (until the server closes): for client timeouts
    server_error = "server_error"  # HTTP 502 with a gateway's HTML page
    not_json = "not_json"  # HTTP 200 with an HTML page (refdata: non-JSON from the gateway)
    rate_limited = "rate_limited"  # HTTP 429 with a text body
    garbage = "garbage"  # every found parcel's events garbled, plus junk entries
    not_object = "not_object"  # the JSON answer is a list


@dataclass
class Samples:
    found: dict[str, list[dict[str, Any]]]
    not_found: list[str]

    @classmethod
    def load(cls) -> Samples:
        sample = ukrposhta_refdata.load(ukrposhta_refdata.SAMPLE)
        return cls(found=sample["found"], not_found=sample["notFound"])

    def template(self) -> dict[str, Any]:
        """A copy of a sample event to build registered events from."""
        return copy.deepcopy(self.found["0500128254610"][0])


@dataclass
class FakeUkrposhta:
    samples: Samples
    tokens: set[str] = field(default_factory=lambda: {TOKEN})
    mode: Mode = Mode.normal
    requests: list[list[str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    registered: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def add_event(
        self,
        number: str,
        code: str,
        date: str,
        *,
        index: str = "03150",
        name: str = "КИЇВ 150",
        **fields: Any,
    ) -> dict[str, Any]:
        """Append an event (the sample's shape) to ``number``'s history, with the next step."""
        events = self.registered.setdefault(number, [])
        event = self.samples.template()
        event.update(
            barcode=number,
            step=(events[-1]["step"] + 1) if events else 1,
            date=date,
            index=index,
            name=name,
            event=code,
            eventName=f"event {code}",
            eventReason=None,
            eventReason_id=1,
            **fields,
        )
        events.append(event)
        return event

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.paths.append(request.path)
        if request.headers.get("Authorization") not in {f"Bearer {t}" for t in self.tokens}:
            return web.json_response({"code": "401", "message": "Unauthorized"}, status=401)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"message": "body is not JSON"}, status=400)
        if not isinstance(body, list) or not all(isinstance(item, str) for item in body):
            return web.json_response({"message": "expected an array of barcodes"}, status=400)
        if len(body) > MAX_BARCODES:
            return web.json_response({"message": f"at most {MAX_BARCODES} barcodes"}, status=400)
        self.requests.append(body)
        if self.mode is Mode.slow:
            await self.release.wait()
        if self.mode is Mode.server_error:
            return web.Response(
                status=502, text="<html>502 Bad Gateway</html>", content_type="text/html"
            )
        if self.mode is Mode.rate_limited:
            return web.Response(status=429, text="Too Many Requests")
        if self.mode is Mode.not_json:
            return web.Response(text="<html>Технічні роботи</html>", content_type="text/html")
        if self.mode is Mode.not_object:
            return web.json_response([])
        found = {n: events for n in body if (events := self._events(n))}
        if not found:
            return web.json_response(
                {"code": "UPE02000", "message": "Shipment not found"}, status=404
            )
        missing = [n for n in body if n not in found]
        if self.mode is Mode.garbage:
            return web.json_response({"found": garble(found), "notFound": missing})
        if request.path.endswith("/last/with-not-found"):
            last = [max(events, key=lambda e: e["step"]) for events in found.values()]
            return web.json_response({"found": last, "notFound": missing})
        return web.json_response({"found": found, "notFound": missing})

    def _events(self, number: str) -> list[dict[str, Any]]:
        events = self.registered.get(number) or self.samples.found.get(number) or []
        return copy.deepcopy(events)


def garble(found: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Wrong types everywhere but one readable event per parcel, plus junk entries."""
    out: dict[str, Any] = {}
    for number, events in found.items():
        readable = events[-1]
        out[number] = [
            {**readable, "step": str(readable["step"]), "event": int(readable["event"])},
            {"step": {"x": 1}, "date": 20190207, "event": ["41000"], "name": None, "index": 1.5},
            "garbage",
            None,
        ]
    out["NOT-ASKED"] = [{"event": "41000", "step": 1}]
    out["junk"] = "not a list"
    return out


@asynccontextmanager
async def serve(fake: FakeUkrposhta) -> AsyncIterator[str]:
    """Serve ``fake`` on 127.0.0.1, port 0; yield the API's base URL (UKRPOSHTA_API_URL)."""
    app = web.Application()
    app.router.add_post(f"{BASE}/statuses/with-not-found", fake.handle)
    app.router.add_post(f"{BASE}/statuses/last/with-not-found", fake.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}{BASE}"
    finally:
        fake.release.set()
        await runner.cleanup()
