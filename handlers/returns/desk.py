"""The managers' desk for returns: the card's buttons, their one-question dialogs, /returns.

A button that needs words or an amount (Reject, Ask for more info, Inspected: rejected, Refund
sent) asks under the card with a reply field for the manager who pressed it; their reply to that
very message is the answer (in a group, with privacy mode on, the bot sees only such replies).
The services check who acts and where the return is, every time.
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import ButtonExpired, DomainError, NotAllowed
from bot.domain.return_desk import (
    NEEDS_AMOUNT,
    NEEDS_TEXT,
    AmountOutOfRange,
    DeskStep,
    parse_amount,
)
from bot.i18n import Translator
from bot.keyboards.callbacks import ReturnCD
from bot.keyboards.returns.desk import ACTION_OF, STEP_OF, answer_prompt
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.people import TelegramUser
from bot.services.returns import desk as return_desk
from bot.telegram.dialogs import WRITTEN
from bot.telegram.states import ReturnDeskDialog
from bot.texts.returns import desk as texts
from storage.uow import Database

ASKING: dict[DeskStep, State] = {
    DeskStep.reject: ReturnDeskDialog.reject_reason,
    DeskStep.ask: ReturnDeskDialog.question,
    DeskStep.inspected_bad: ReturnDeskDialog.inspection_reason,
    DeskStep.refunded: ReturnDeskDialog.refund_amount,
}
STEP_FOR_STATE = {state.state: step for step, state in ASKING.items()}
ASKING_ACTIONS = {ACTION_OF[step] for step in NEEDS_TEXT | NEEDS_AMOUNT}
NOTE_STATES = tuple(ASKING[step] for step in NEEDS_TEXT)


async def step_pressed(
    query: CallbackQuery,
    callback_data: ReturnCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """Approve, The parcel arrived, Inspected: OK — done at once."""
    step = STEP_OF[callback_data.action]
    await return_desk.take(db, ctx, callback_data.return_id, step, person)
    await query.answer(t.gettext(texts.PRESSED[step]))


async def asking_pressed(
    query: CallbackQuery,
    callback_data: ReturnCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
) -> None:
    """Reject, Ask, Inspected: rejected, Refund sent — ask first, under the card."""
    step = STEP_OF[callback_data.action]
    return_ = await return_desk.may_take(db, ctx, callback_data.return_id, step, person)
    message = query.message
    if not isinstance(message, Message):
        raise ButtonExpired()
    await query.answer()
    # Waiting before the question is out: a quick reply must find the dialog open.
    await state.set_state(ASKING[step])
    await state.set_data({"return_id": return_.id})
    cost = texts.refund_cost(t, return_) if step in NEEDS_AMOUNT else ""
    manager = texts.mention(person.id, person.full_name)
    prompt = await message.answer(
        texts.prompt(t, step, return_, manager, cost),
        reply_markup=answer_prompt(texts.placeholder(t, step), selective=True),
    )
    if await state.get_state() == ASKING[step]:  # not answered (and closed) already
        await state.update_data(prompt_id=prompt.message_id)


async def replies_to_prompt(message: Message, state: FSMContext, bot: Bot) -> bool:
    """In a group only a reply to the desk's own question is the answer, never a stray message
    (nor a reply to someone else)."""
    if message.chat.type == "private":
        return True
    reply = message.reply_to_message
    if reply is None or reply.from_user is None or reply.from_user.id != bot.id:
        return False
    prompt_id = (await state.get_data()).get("prompt_id")
    return prompt_id is None or reply.message_id == prompt_id  # None: it is being recorded


async def note_written(
    message: Message,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
    bot: Bot,
) -> None:
    step = STEP_FOR_STATE[await state.get_state() or ""]
    data = await state.get_data()
    await state.clear()
    return_ = await return_desk.take(
        db, ctx, int(data["return_id"]), step, person, note=message.text
    )
    await _close_prompt(bot, message, data, texts.done(t, step, return_))


async def amount_written(
    message: Message,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
    bot: Bot,
) -> None:
    """A malformed or impossible amount keeps the question open: the manager replies again."""
    amount = parse_amount(message.text or "")
    if amount is None:
        await message.reply(t.gettext(texts.BAD_AMOUNT))
        return
    data = await state.get_data()
    try:
        return_ = await return_desk.take(
            db, ctx, int(data["return_id"]), DeskStep.refunded, person, amount=amount
        )
    except DomainError as error:
        if not isinstance(error, AmountOutOfRange):  # out of range: they may reply again
            await state.clear()
        raise
    await state.clear()
    shown = t.money(amount, return_.order.currency)
    await _close_prompt(bot, message, data, texts.done(t, DeskStep.refunded, return_, shown))


async def _close_prompt(bot: Bot, message: Message, data: dict[str, Any], text: str) -> None:
    """The question now says what became of it (an edit: nothing new in the chat).

    A reply quicker than the question's id was recorded still names the question it answers."""
    prompt_id = data.get("prompt_id")
    reply = message.reply_to_message
    if not isinstance(prompt_id, int) and reply is not None and reply.from_user is not None:
        prompt_id = reply.message_id if reply.from_user.id == bot.id else None
    if not isinstance(prompt_id, int):
        return
    with contextlib.suppress(TelegramBadRequest):  # deleted meanwhile: the card says it anyway
        await bot.edit_message_text(text=text, chat_id=message.chat.id, message_id=prompt_id)


async def returns_command(
    message: Message, db: Database, ctx: ServiceContext, person: TelegramUser, t: Translator
) -> None:
    """/returns: open returns, oldest first (names customers: managers' chat or private only)."""
    require_admin(ctx, person)
    if message.chat.type != "private" and message.chat.id != ctx.manager_chat_id:
        raise NotAllowed()
    listing = await return_desk.open_returns(db, ctx, person)
    await message.answer(
        texts.open_list(t, listing.returns, len(listing.returns), listing.now, listing.review_sla)
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(asking_pressed, ReturnCD.filter(F.action.in_(ASKING_ACTIONS)))
    router.callback_query.register(step_pressed, ReturnCD.filter())
    router.message.register(
        amount_written, ReturnDeskDialog.refund_amount, WRITTEN, replies_to_prompt
    )
    router.message.register(note_written, StateFilter(*NOTE_STATES), WRITTEN, replies_to_prompt)
    router.message.register(returns_command, Command("returns"))
    return router
