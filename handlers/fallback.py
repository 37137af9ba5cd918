"""Whatever no other handler took: stale or forged buttons, stray messages."""

from __future__ import annotations

import asyncio
import logging

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.telegram.chat_locks import OWN_LOCK, ChatLocks

# The album a stray photo belonged to, once answered: an album is one message per photo, and a
# customer who sends five photos of a parcel should hear back once, not five times.
ANSWERED_ALBUM = "stray_album"

log = logging.getLogger(__name__)


async def unknown_button(query: CallbackQuery, t: Translator) -> None:
    """A button of no handler: stale, or forged (data that does not unpack, e.g. numbers out of
    range); worth a line, not a traceback."""
    log.info("a button no handler takes was pressed by %s: %r", query.from_user.id, query.data)
    await query.answer(t.gettext("This button is no longer valid."), show_alert=True)


async def stray_message(message: Message, t: Translator) -> None:
    await message.answer(
        t.gettext("I did not understand that. Use the buttons under your order, or send /help.")
    )


async def stray_photo(
    message: Message, t: Translator, state: FSMContext, chat_lock: asyncio.Lock
) -> None:
    """Photos out of any conversation: most likely of an item with a problem; once per album."""
    album = message.media_group_id
    if album is not None:
        async with chat_lock:
            if (await state.get_data()).get(ANSWERED_ALBUM) == album:
                return
            await state.update_data({ANSWERED_ALBUM: album})
    await message.answer(
        t.gettext(
            "Thank you for the photo. To return an item or tell us what is wrong with it, send"
            " /return: we will ask for the photos there."
        )
    )


def build_router() -> Router:
    router = Router(name=__name__)
    locks = ChatLocks()
    router.message.middleware(locks)
    router.callback_query.register(unknown_button)
    private = F.chat.type == "private"
    router.message.register(stray_photo, private, F.photo, flags={OWN_LOCK: True})
    router.message.register(stray_message, private)
    return router
