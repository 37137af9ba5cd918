"""Per-update context: who is talking and in which language to answer them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User
from prometheus_client import Counter

from bot.services.context import ServiceContext
from bot.services.languages import language_of
from bot.services.people import TelegramUser
from storage.uow import Database

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class LanguageMiddleware(BaseMiddleware):
    """Puts ``person`` (TelegramUser) and ``t`` (Translator) into the handler's data."""

    def __init__(self, db: Database, ctx: ServiceContext) -> None:
        self._db = db
        self._ctx = ctx

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            data["t"] = self._ctx.catalogs(self._ctx.default_language)
            return await handler(event, data)
        person = TelegramUser(
            id=user.id,
            full_name=user.full_name,
            username=user.username,
            language_code=user.language_code,
        )
        chat = data.get("event_chat")
        if chat is not None and chat.id == self._ctx.manager_chat_id:
            language = self._ctx.managers_language
        else:
            language = await language_of(self._db, self._ctx, person)
        data["person"] = person
        data["t"] = self._ctx.catalogs(language)
        return await handler(event, data)


class CountUpdates(BaseMiddleware):
    """Counts every update this process handled, by kind (``message``, ``callback_query`` …)."""

    def __init__(self, counter: Counter) -> None:
        self._counter = counter

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        try:
            return await handler(event, data)
        finally:
            kind = event.event_type if isinstance(event, Update) else type(event).__name__
            self._counter.labels(kind).inc()
