"""The one-question dialogs ("tell us in your own words"): ask, then take the answer once."""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

# A written answer: any text that is not a command (commands like /cancel keep working).
WRITTEN = F.text & ~F.text.startswith("/")


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
