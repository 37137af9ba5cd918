"""A shop's receiver of Vykup's webhooks: verify, drop replays, handle each event once.

    pip install aiohttp standardwebhooks
    SHOP_WEBHOOK_SECRET=whsec_... python examples/webhook_receiver.py   # listens on :8000/vykup

The ``standardwebhooks`` library checks the signature over ``webhook-id.webhook-timestamp.body``
and refuses a timestamp more than 5 minutes from this machine's clock, so a captured delivery
cannot be replayed later. Within those 5 minutes the ``webhook-id`` tells a repeat: Vykup sends an
event again when it did not hear the 2xx (a timeout, a restart), so a repeat is acknowledged with
200 — or Vykup would keep retrying it — but not handled twice.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from standardwebhooks import Webhook, WebhookVerificationError

# Ids are remembered a little longer than a timestamp stays acceptable (5 minutes either side).
REMEMBER_SECONDS = 11 * 60


class Receiver:
    def __init__(
        self,
        secret: str,
        handle: Callable[[dict[str, Any]], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._webhook = Webhook(secret)
        self._handle = handle
        self._clock = clock
        self._seen: dict[str, float] = {}  # a real shop keeps these in its database or Redis

    async def post(self, request: web.Request) -> web.Response:
        body = await request.read()  # the raw bytes: re-serialised JSON would not verify
        try:
            event = self._webhook.verify(body, dict(request.headers))
        except WebhookVerificationError as error:
            return web.json_response({"error": str(error)}, status=401)
        if self._already_seen(request.headers["webhook-id"]):
            return web.json_response({"duplicate": True})
        self._handle(event)
        return web.json_response({"ok": True})

    def _already_seen(self, event_id: str) -> bool:
        now = self._clock()
        self._seen = {k: at for k, at in self._seen.items() if now - at < REMEMBER_SECONDS}
        if event_id in self._seen:
            return True
        self._seen[event_id] = now
        return False


def create_app(secret: str, handle: Callable[[dict[str, Any]], None]) -> web.Application:
    app = web.Application()
    app.router.add_post("/vykup", Receiver(secret, handle).post)
    return app


def print_event(event: dict[str, Any]) -> None:
    # event["type"]: "order.confirmed", "order.cancelled", "shipment.arrived", "return.requested"…
    print(json.dumps(event, ensure_ascii=False))


if __name__ == "__main__":
    web.run_app(create_app(os.environ["SHOP_WEBHOOK_SECRET"], print_event), port=8000)
