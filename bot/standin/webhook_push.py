"""Delivering updates to a webhook, the way the Bot API server does.

While a webhook is set, pending updates are posted to its URL as JSON, with the secret in
``X-Telegram-Bot-Api-Secret-Token`` when one was given. Updates of one chat go one at a time and
in order; different chats go in parallel, up to ``max_connections``. An update leaves the queue
only when the bot answered 2xx; any other answer, or no answer, means the same update is posted
again after ``retry_delay`` seconds.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.standin.state import World

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class WebhookDelivery:
    """One post of one update, as the bot answered it (``status`` 0: no answer at all)."""

    update_id: int
    status: int


def chat_of(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to, for in-order delivery per chat."""
    kind = next(key for key in update if key != "update_id")
    payload = update[kind]
    if not isinstance(payload, dict):
        return None
    chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
    if isinstance(chat, dict) and isinstance(chat.get("id"), int):
        return int(chat["id"])
    sender = payload.get("from")
    sender_id = sender.get("id") if isinstance(sender, dict) else None
    return sender_id if isinstance(sender_id, int) else None


class WebhookPusher:
    def __init__(self, world: World, *, retry_delay: float = 0.2, timeout: float = 60.0) -> None:
        self._world = world
        self._retry_delay = retry_delay
        self._timeout = timeout
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._not_before: dict[int, float] = {}

    async def run(self) -> None:
        world = self._world
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            try:
                while not world.closing:
                    wait = self._start_due(http)
                    await world.pulse.wait(wait)
            finally:
                tasks = list(self._in_flight.values())
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

    def _start_due(self, http: aiohttp.ClientSession) -> float | None:
        """Post every update that may go now; return how long until a retry falls due."""
        webhook = self._world.webhook
        if webhook is None:
            return None
        limit = int(webhook.get("max_connections") or 40)
        now = asyncio.get_running_loop().time()
        # Updates of kinds the bot did not ask for (allowed_updates) are dropped, as for getUpdates.
        pending = self._world.updates.take(len(self._world.updates), self._world.allowed_updates)
        busy = {chat_of(update) for update in pending if update["update_id"] in self._in_flight}
        next_retry: float | None = None
        for update in pending:
            chat = chat_of(update)
            if chat in busy:
                continue  # an earlier update of this chat is on its way or waits for a retry
            busy.add(chat)
            update_id = update["update_id"]
            wait = self._not_before.get(update_id, 0.0) - now
            if wait > 0:
                next_retry = wait if next_retry is None else min(next_retry, wait)
                continue
            if len(self._in_flight) >= limit:
                break
            self._in_flight[update_id] = asyncio.create_task(
                self._post(http, webhook, update), name=f"webhook update {update_id}"
            )
        return next_retry

    async def _post(
        self,
        http: aiohttp.ClientSession,
        webhook: dict[str, Any],
        update: dict[str, Any],
    ) -> None:
        world = self._world
        update_id = update["update_id"]
        headers = {SECRET_HEADER: webhook["secret_token"]} if webhook.get("secret_token") else {}
        status = 0
        try:
            async with http.post(webhook["url"], json=update, headers=headers) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError, OSError):
            status = 0
        finally:
            del self._in_flight[update_id]
        world.webhook_deliveries.append(WebhookDelivery(update_id, status))
        if 200 <= status < 300:
            world.updates.remove(update_id)
            self._not_before.pop(update_id, None)
        else:
            self._not_before[update_id] = asyncio.get_running_loop().time() + self._retry_delay
        world.changed()
