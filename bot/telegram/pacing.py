"""Direct replies share the delivery worker's rate limiter, and wait out a 429 instead of failing."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import (
    CopyMessage,
    ForwardMessage,
    SendContact,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)

from bot.botapi.rate_limit import RateLimiter
from bot.telegram.response_models import ResponseModels

log = logging.getLogger(__name__)

PACED = (
    SendMessage,
    SendPhoto,
    SendMediaGroup,
    SendDocument,
    SendContact,
    CopyMessage,
    ForwardMessage,
)
MAX_RETRY_WAIT = 30  # a reply the person waits for longer than this is not worth sending late


class PacedRequests(BaseRequestMiddleware):
    def __init__(self, limiter: RateLimiter, retries: int = 2) -> None:
        self._limiter = limiter
        self._retries = retries
        self._models = ResponseModels()  # every call of this bot passes here, polling too

    async def __call__(
        self, make_request: NextRequestMiddlewareType[Any], bot: Bot, method: TelegramMethod[Any]
    ) -> Any:
        self._models.keep(method)
        chat_id = getattr(method, "chat_id", None)
        if not isinstance(method, PACED) or not isinstance(chat_id, int):
            return await make_request(bot, method)
        for attempt in range(self._retries + 1):
            try:
                async with self._limiter.slot(chat_id):
                    return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if attempt == self._retries or error.retry_after > MAX_RETRY_WAIT:
                    raise
                log.info("429 on a direct reply; waiting %ss", error.retry_after)
                self._limiter.pause_chat(chat_id, error.retry_after)
        raise AssertionError("unreachable")
