"""Telegram's updates over HTTP (BOT_MODE=webhook): any web process may receive any update.

Telegram signs each post with the secret given to setWebhook (``X-Telegram-Bot-Api-Secret-Token``);
a post without it, or with another one, is refused with 401 and ignored. The answer is sent only
after the update was handled, so a process that dies mid-update makes Telegram post it again.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookRefused(Exception):
    """Telegram refused WEBHOOK_URL in setWebhook (its description is the message)."""


class TelegramWebhook:
    def __init__(self, dispatcher: Dispatcher, bot: Bot, *, secret: str) -> None:
        self._dispatcher = dispatcher
        self._bot = bot
        self._secret = secret.encode()

    def register(self, app: web.Application, path: str) -> None:
        app.router.add_post(path, self.handle, name="telegram-webhook")

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning(
                "a webhook post without the right secret from %s was ignored", request.remote
            )
            return web.json_response({"error": "unauthorized"}, status=401)
        try:
            update = Update.model_validate(await request.json(), context={"bot": self._bot})
        except (json.JSONDecodeError, UnicodeDecodeError, ValidationError):
            return web.json_response({"error": "not a Telegram update"}, status=400)
        await self._dispatcher.feed_update(self._bot, update)
        return web.json_response({})
