"""Telegram's updates over HTTP (BOT_MODE=webhook): any web process may receive any update.

aiogram's ``SimpleRequestHandler``, with the answers Telegram needs to neither lose an update nor
post it forever (Telegram posts again whatever is not answered 2xx):

- a post without the secret given to setWebhook (``X-Telegram-Bot-Api-Secret-Token``), or with
  another one, or one that is not even UTF-8: 401, ignored;
- a body that is not a Telegram update (not JSON, nested past any real update, wrong shape): 400;
- the update is answered after it was handled (or after aiogram's cap of 55 s, the handling going
  on), so a process that dies mid-update gets it posted again;
- a failure the error handler could not turn into an apology (the apology itself was refused):
  logged, answered 200, because posting it again would fail again;
- except that the database being unavailable answers 503 (the web app's error middleware):
  that passes, and the update is then handled when Telegram posts it again.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic_core import from_json

from bot.web.errors import ApiError
from storage.outage import database_unavailable

log = logging.getLogger(__name__)


class WebhookRefused(Exception):
    """Telegram refused WEBHOOK_URL in setWebhook (its description is the message)."""


class TelegramWebhook(SimpleRequestHandler):
    def __init__(self, dispatcher: Dispatcher, bot: Bot, *, secret: str) -> None:
        super().__init__(dispatcher, bot, handle_in_background=False, secret_token=secret)
        self._secret = secret.encode()

    def register(self, app: web.Application, /, path: str, **kwargs: Any) -> None:
        super().register(app, path=path, **({"name": "telegram-webhook"} | kwargs))

    async def close(self) -> None:
        """Nothing: the application owns the bot and closes its session after the web server."""

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        # aiohttp keeps header bytes that are not UTF-8 as surrogates; compare bytes, never str
        # (secrets.compare_digest raises on a str that is not ASCII).
        given = telegram_secret_token.encode("utf-8", "surrogateescape")
        return hmac.compare_digest(given, self._secret)

    async def handle(self, request: web.Request) -> web.Response:
        response = await super().handle(request)
        if response.status == 401:
            log.warning(
                "a webhook post without the right secret from %s was ignored", request.remote
            )
        return response

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        update = await _read_update(request, bot)
        result: TelegramMethod[Any] | None
        try:
            result = await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        except Exception as error:
            if database_unavailable(error):
                raise  # 503 with Retry-After: Telegram posts it again once the database is back
            # aiogram has logged the traceback; this says what became of the update.
            log.error(
                "update %s failed even in the error handler (%s: %s); answered 200, dropped",
                update.update_id,
                type(error).__name__,
                error,
            )
            result = None
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


async def _read_update(request: web.Request, bot: Bot) -> Update:
    """The body as an Update, or 400. pydantic's JSON parser refuses invalid UTF-8 and nesting
    deeper than 200 (a real update is far shallower) with a ValueError, never a RecursionError."""
    try:
        return Update.model_validate(from_json(await request.read()), context={"bot": bot})
    except ValueError:  # pydantic's ValidationError is one too
        raise ApiError(400, "bad_update", "The body is not a Telegram update") from None
