"""The customer's return request: /return and the "Return an item" buttons start it; Continue,
Start over, Back and Cancel move around it. The steps themselves: ``choices`` (buttons) and
``inputs`` (words and photos)."""

from __future__ import annotations

from dataclasses import replace

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import ButtonExpired
from bot.domain.return_draft import Draft
from bot.domain.return_steps import Step, previous
from bot.i18n import Translator
from bot.keyboards.callbacks import ReturnStartCD, ReturnStepAction, ReturnStepCD
from bot.keyboards.returns import flow as kb
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.services.returns import flow as return_flow
from bot.telegram.chat_locks import ChatLocks
from bot.telegram.returns import screens as screens
from bot.telegram.returns.dialog import go, in_progress, load, new_flow, show, step_of
from bot.telegram.returns.screens import Screen
from bot.telegram.states import ReturnFlow
from bot.texts.returns import flow as texts
from handlers.returns import choices, inputs
from storage.uow import Database


async def begin(
    event: Message | CallbackQuery,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    *,
    order_id: int | None,
    edit: bool,
) -> None:
    """A new request: about ``order_id``, or the one open order, or a choice among several."""
    draft = Draft(flow=new_flow())
    if order_id is None:
        offer = await return_flow.offer(db, ctx, person)
        if not offer.open:
            text = (
                texts.nothing_open(t, offer.closed) if offer.closed else texts.nothing_received(t)
            )
            await show(event, Screen(text), edit=edit)
            return
        if len(offer.open) > 1:
            draft = replace(draft, several_orders=True)
            await go(state, Step.order, draft)
            await show(event, screens.orders(draft, offer, t), edit=edit)
            return
        order_id = offer.open[0].order.id
    draft, described = await return_flow.begin(db, ctx, person, draft, order_id)
    await go(state, Step.items, draft)
    await show(event, screens.items(draft, described, t), edit=edit)


async def return_command(
    message: Message,
    state: FSMContext,
    raw_state: str | None,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    left = await in_progress(state, raw_state)
    if left is not None:
        await message.answer(texts.resume_question(t), reply_markup=kb.resume(left.flow, 0, t))
        return
    await begin(message, state, db, ctx, person, t, order_id=None, edit=False)


async def start_pressed(
    query: CallbackQuery,
    callback_data: ReturnStartCD,
    state: FSMContext,
    raw_state: str | None,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """Under the received-order message or /orders: that message stays as it is."""
    left = await in_progress(state, raw_state)
    if left is not None:
        question = Screen(texts.resume_question(t), kb.resume(left.flow, callback_data.order_id, t))
        await show(query, question, edit=False)
    else:
        order_id = callback_data.order_id or None
        await begin(query, state, db, ctx, person, t, order_id=order_id, edit=False)
    await query.answer()


async def resume_pressed(
    query: CallbackQuery,
    callback_data: ReturnStepCD,
    state: FSMContext,
    raw_state: str | None,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    draft = await load(state, callback_data.flow)
    step = step_of(raw_state)
    if step is None:
        raise ButtonExpired()
    await show(query, await screens.screen(step, draft, db=db, ctx=ctx, person=person, t=t))
    await query.answer()


async def restart_pressed(
    query: CallbackQuery,
    callback_data: ReturnStepCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    await state.clear()
    order_id = callback_data.order_id or None
    await begin(query, state, db, ctx, person, t, order_id=order_id, edit=True)
    await query.answer()


async def back_pressed(
    query: CallbackQuery,
    callback_data: ReturnStepCD,
    state: FSMContext,
    raw_state: str | None,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    draft = await load(state, callback_data.flow)
    step = step_of(raw_state)
    before = previous(step, draft.route) if step is not None else None
    if before is None:
        raise ButtonExpired()
    screen = await screens.screen(before, draft, db=db, ctx=ctx, person=person, t=t)
    await go(state, before, draft)
    await show(query, screen)
    await query.answer()


async def cancel_pressed(
    query: CallbackQuery, callback_data: ReturnStepCD, state: FSMContext, t: Translator
) -> None:
    await load(state, callback_data.flow)
    await state.clear()
    await show(query, Screen(texts.cancelled(t)))
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    locks = ChatLocks()  # one registry per dispatcher: no state outside it
    router.message.middleware(locks)
    router.callback_query.middleware(locks)
    step = ReturnStepCD.filter
    router.message.register(return_command, Command("return"), F.chat.type == "private")
    router.callback_query.register(start_pressed, ReturnStartCD.filter())
    router.callback_query.register(
        resume_pressed, StateFilter(ReturnFlow), step(F.action == ReturnStepAction.resume)
    )
    router.callback_query.register(restart_pressed, step(F.action == ReturnStepAction.restart))
    router.callback_query.register(
        back_pressed, StateFilter(ReturnFlow), step(F.action == ReturnStepAction.back)
    )
    router.callback_query.register(
        cancel_pressed, StateFilter(ReturnFlow), step(F.action == ReturnStepAction.cancel)
    )
    router.include_router(choices.build_router())
    router.include_router(inputs.build_router())
    return router
