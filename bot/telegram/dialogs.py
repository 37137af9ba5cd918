"""The one-question dialogs ("tell us in your own words"): ask, then take the answer once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

# A written answer: any text that is not a command (commands like /cancel keep working).
WRITTEN = F.text & ~F.text.startswith("/")

T = TypeVar("T")


async def ask_in_words(
    query: CallbackQuery, state: FSMContext, waiting_for: State, prompt: str, **remember: Any
) -> None:
    """Ask the question under the pressed button and remember what the answer is about."""
    await state.set_state(waiting_for)
    await state.set_data(remember)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(prompt)


async def take_answer(state: FSMContext) -> dict[str, Any]:
    """What the dialog remembered; the dialog is over either way."""
    data = await state.get_data()
    await state.clear()
    return data


@dataclass(frozen=True)
class InWords:
    """The question asked when the pressed reason is "other", once ``check`` lets the person
    answer (it raises otherwise)."""

    check: Callable[[], Awaitable[object]]
    waiting_for: State
    prompt: str
    remember: Mapping[str, Any] = field(default_factory=dict)


async def reason_pressed(
    query: CallbackQuery,
    state: FSMContext,
    *,
    in_words: InWords | None,
    take: Callable[[], Awaitable[T]],
    thanks: Callable[[T], str],
    remove_buttons: bool = True,
    show_alert: bool = False,
) -> None:
    """A reason button: with ``in_words`` (the reason is "other") ask for it in one message;
    otherwise ``take`` it, remove the buttons (unless the service edits the message itself) and
    thank the person."""
    if in_words is not None:
        await in_words.check()
        await ask_in_words(query, state, in_words.waiting_for, in_words.prompt, **in_words.remember)
        return
    result = await take()
    if remove_buttons and isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    await query.answer(thanks(result), show_alert=show_alert)
