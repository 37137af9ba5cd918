"""The steps of a return request answered by writing or by sending photos, and friendly re-prompts
for anything else (commands such as /cancel or /orders keep working at every step)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Final

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.domain import return_draft
from bot.domain.return_draft import Album, Draft, Photo, PhotoOutcome, to_data
from bot.domain.return_steps import Step
from bot.i18n import Translator
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.telegram.chat_locks import OWN_LOCK
from bot.telegram.dialogs import WRITTEN
from bot.telegram.returns import screens as screens
from bot.telegram.returns.dialog import STATE, advance, load, step_of
from bot.telegram.states import ReturnFlow
from bot.texts.returns import flow as texts
from storage.uow import Database

# Telegram sends an album as one message per photo, all at once; after the last one arrives and
# this much time passes quietly, the album gets one answer.
ALBUM_WAIT: Final = 1.0
NOT_A_COMMAND = ~F.text.startswith("/")

WRITTEN_STEPS: Final[dict[Step, Callable[[Draft, str | None], Draft]]] = {
    Step.reason_text: return_draft.set_reason_text,
    Step.comment: return_draft.set_comment,
    Step.iban: return_draft.set_iban,
    Step.holder: return_draft.set_holder,
    Step.exchange: return_draft.set_exchange_wish,
}
BUTTON_STEPS = (Step.order, Step.items, Step.reason, Step.resolution, Step.summary)


async def written(
    message: Message,
    state: FSMContext,
    raw_state: str | None,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """The reason in words, the comment, the IBAN, the holder's name or the exchange wish."""
    step = step_of(raw_state)
    assert step is not None  # the filters let only the written steps in
    draft = WRITTEN_STEPS[step](await load(state), message.text)
    await advance(message, state, step, draft, db=db, ctx=ctx, person=person, t=t)


async def photo_received(
    message: Message,
    state: FSMContext,
    ctx: ServiceContext,
    t: Translator,
    chat_lock: asyncio.Lock,
) -> None:
    """One answer per photo, or per album once all its photos are in (none lost, none twice)."""
    largest = max(message.photo or [], key=lambda size: size.width * size.height)
    photo = Photo(largest.file_id, largest.file_unique_id, message.message_id)
    album = message.media_group_id
    async with chat_lock:
        if step_of(await state.get_state()) is not Step.photos:
            return  # Done or Cancel was pressed while this photo waited
        draft, outcome = return_draft.add_photo(await load(state), photo, album)
        await state.set_data(to_data(draft))
    if album is None:
        single = Album(
            tail=photo.file_unique_id,
            added=int(outcome is PhotoOutcome.added),
            refused=int(outcome is PhotoOutcome.refused),
        )
        await _answer(message, draft, ctx, t, single)
        return
    await asyncio.sleep(ALBUM_WAIT)
    async with chat_lock:
        if step_of(await state.get_state()) is not Step.photos:
            return
        draft, tally = return_draft.finish_album(await load(state), album, photo.file_unique_id)
        if tally is None:
            return  # a later photo of the album answers for all of them
        await state.set_data(to_data(draft))
    await _answer(message, draft, ctx, t, tally)


async def _answer(
    message: Message, draft: Draft, ctx: ServiceContext, t: Translator, tally: Album
) -> None:
    screen = screens.photos_received(draft, ctx, t, tally)
    await message.answer(screen.text, reply_markup=screen.markup)


async def not_a_photo(message: Message, t: Translator) -> None:
    await message.answer(texts.not_a_photo(t))


async def not_in_words(message: Message, t: Translator) -> None:
    await message.answer(t.gettext("Please write it as a text message, or send /cancel to stop."))


async def use_buttons(message: Message, t: Translator) -> None:
    await message.answer(texts.use_buttons(t))


def build_router() -> Router:
    router = Router(name=__name__)
    words = StateFilter(*(STATE[step] for step in WRITTEN_STEPS))
    router.message.register(written, words, WRITTEN)
    router.message.register(not_in_words, words, ~F.text)
    photos = ReturnFlow.photos
    router.message.register(photo_received, photos, F.photo, flags={OWN_LOCK: True})
    router.message.register(not_a_photo, photos, NOT_A_COMMAND)
    buttons = StateFilter(*(STATE[step] for step in BUTTON_STEPS))
    router.message.register(use_buttons, buttons, NOT_A_COMMAND)
    return router
