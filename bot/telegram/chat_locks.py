"""One person's updates change their conversation one at a time.

aiogram handles updates concurrently; an album arrives as several messages at once, and a fast
double tap as two callbacks. Without a lock, two handlers read the same FSM data and the second
write loses the first one's change. The middleware holds a per-chat lock around each handler of
its router, and re-checks that the conversation is still at the step the handler was chosen for.
A handler flagged ``OWN_LOCK`` gets the lock as ``chat_lock`` and holds it only around its
read-modify-write (so it can wait without holding up the chat).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Chat, TelegramObject

from bot.domain.errors import ButtonExpired

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
OWN_LOCK: Final = "own_lock"


class ChatLocks(BaseMiddleware):
    def __init__(self) -> None:
        # A lock lives while someone holds or waits for it; then it goes, so the registry stays small.
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def lock_for(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_id] = lock
        return lock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat: Chat | None = data.get("event_chat")
        if chat is None:
            return await handler(event, data)
        lock = self.lock_for(chat.id)
        data["chat_lock"] = lock
        if get_flag(data, OWN_LOCK):
            return await handler(event, data)
        async with lock:
            state: FSMContext | None = data.get("state")
            if (
                isinstance(event, CallbackQuery)
                and state is not None
                and await state.get_state() != data.get("raw_state")
            ):
                raise ButtonExpired()  # the conversation moved on while this press waited
            return await handler(event, data)
