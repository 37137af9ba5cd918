"""The return request in the chat: its draft in FSM data, its state, its screens shown."""

from __future__ import annotations

import secrets

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import ButtonExpired
from bot.domain.return_draft import Draft, from_data, to_data
from bot.domain.return_steps import Step, following
from bot.i18n import Translator
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.telegram.returns import screens as screens
from bot.telegram.returns.screens import Screen
from bot.telegram.states import ReturnFlow
from storage.uow import Database

STATE = {step: getattr(ReturnFlow, step.value) for step in Step}
NOT_MODIFIED = "message is not modified"


def new_flow() -> int:
    """Tells this request's buttons from those of an earlier one in the same chat."""
    return secrets.randbelow(1_000_000)


def step_of(raw_state: str | None) -> Step | None:
    for step, state in STATE.items():
        if state.state == raw_state:
            return step
    return None


async def in_progress(state: FSMContext, raw_state: str | None) -> Draft | None:
    """The request this person left half-way, if any."""
    if step_of(raw_state) is None:
        return None
    return from_data(await state.get_data())


async def load(state: FSMContext, flow: int | None = None) -> Draft:
    """The draft; a button of another request (``flow``) or a lost draft changes nothing."""
    draft = from_data(await state.get_data())
    if draft is None or (flow is not None and draft.flow != flow):
        raise ButtonExpired()
    return draft


async def go(state: FSMContext, step: Step, draft: Draft) -> None:
    await state.set_data(to_data(draft))
    await state.set_state(STATE[step])


async def show(event: Message | CallbackQuery, screen: Screen, *, edit: bool = True) -> None:
    """A new message in answer to a message; the pressed message edited (else a new one)."""
    if isinstance(event, Message):
        await event.answer(screen.text, reply_markup=screen.markup)
        return
    message = event.message
    if edit and isinstance(message, Message):
        try:
            await message.edit_text(screen.text, reply_markup=screen.markup)
            return
        except TelegramBadRequest as error:
            if NOT_MODIFIED in str(error):
                return  # a second press on the same button: it already shows this
            # too old to edit, or gone: say it in a new message instead
    if event.bot is not None:
        await event.bot.send_message(event.from_user.id, screen.text, reply_markup=screen.markup)


async def advance(
    event: Message | CallbackQuery,
    state: FSMContext,
    step: Step,
    draft: Draft,
    *,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """``step`` is answered: store the draft, go to the next step and ask for it."""
    after = following(step, draft.route)
    if after is None:
        raise ButtonExpired()  # nothing comes after the summary but Submit
    screen = await screens.screen(after, draft, db=db, ctx=ctx, person=person, t=t)
    await go(state, after, draft)
    await show(event, screen)
