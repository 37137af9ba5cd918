"""The steps of a return request answered with buttons: the order, the items, the reason, the
photos being done, no comment, what the customer wants, and Submit."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.domain import return_draft
from bot.domain.return_steps import Step
from bot.domain.returns import return_number
from bot.i18n import Translator
from bot.keyboards.callbacks import (
    ReturnItemCD,
    ReturnOrderCD,
    ReturnReasonCD,
    ReturnResolutionCD,
    ReturnStepAction,
    ReturnStepCD,
)
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.services.returns import flow as return_flow
from bot.services.returns import photos as return_photos
from bot.telegram.returns import screens as screens
from bot.telegram.returns.dialog import advance, go, load, show
from bot.telegram.returns.screens import Screen
from bot.telegram.states import ReturnFlow
from bot.texts.returns import flow as texts
from storage.uow import Database


async def order_chosen(
    query: CallbackQuery,
    callback_data: ReturnOrderCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    draft = await load(state, callback_data.flow)
    draft, described = await return_flow.begin(db, ctx, person, draft, callback_data.order_id)
    await go(state, Step.items, draft)
    await show(query, screens.items(draft, described, t))
    await query.answer()


async def item_pressed(
    query: CallbackQuery,
    callback_data: ReturnItemCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    draft = await load(state, callback_data.flow)
    picked = await return_flow.pick_item(
        db, ctx, person, draft, callback_data.item_id, callback_data.quantity
    )
    if picked.how_many is not None:
        await show(query, screens.how_many(draft, picked.how_many, t))
    else:
        await go(state, Step.items, picked.draft)
        await show(query, screens.items(picked.draft, picked.order, t))
    await query.answer()


async def items_list(
    query: CallbackQuery,
    callback_data: ReturnStepCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """From the quantity picker back to the list of items, nothing changed."""
    draft = await load(state, callback_data.flow)
    await show(query, await screens.screen(Step.items, draft, db=db, ctx=ctx, person=person, t=t))
    await query.answer()


async def items_chosen(
    query: CallbackQuery,
    callback_data: ReturnStepCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    draft = await load(state, callback_data.flow)
    await return_flow.check_items(db, ctx, person, draft)
    await advance(query, state, Step.items, draft, db=db, ctx=ctx, person=person, t=t)
    await query.answer()


async def reason_chosen(
    query: CallbackQuery,
    callback_data: ReturnReasonCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    draft = await load(state, callback_data.flow)
    draft = return_draft.set_reason(draft, ctx.return_rules, callback_data.reason)
    await advance(query, state, Step.reason, draft, db=db, ctx=ctx, person=person, t=t)
    await query.answer()


async def photos_done(
    query: CallbackQuery,
    callback_data: ReturnStepCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    draft = await load(state, callback_data.flow)
    return_draft.check_photos(draft, ctx.return_rules)
    await advance(query, state, Step.photos, draft, db=db, ctx=ctx, person=person, t=t)
    await query.answer()


async def photos_cleared(
    query: CallbackQuery,
    callback_data: ReturnStepCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    draft = return_draft.clear_photos(await load(state, callback_data.flow))
    await go(state, Step.photos, draft)
    await show(query, await screens.screen(Step.photos, draft, db=db, ctx=ctx, person=person, t=t))
    await query.answer()


async def comment_skipped(
    query: CallbackQuery,
    callback_data: ReturnStepCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    draft = return_draft.set_comment(await load(state, callback_data.flow), None)
    await advance(query, state, Step.comment, draft, db=db, ctx=ctx, person=person, t=t)
    await query.answer()


async def resolution_chosen(
    query: CallbackQuery,
    callback_data: ReturnResolutionCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    draft = await load(state, callback_data.flow)
    draft = await return_flow.choose_resolution(db, ctx, person, draft, callback_data.resolution)
    await advance(query, state, Step.resolution, draft, db=db, ctx=ctx, person=person, t=t)
    await query.answer()


async def submit_pressed(
    query: CallbackQuery,
    callback_data: ReturnStepCD,
    state: FSMContext,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """Stored and announced by the service (the number, packing, where to send it)."""
    draft = await load(state, callback_data.flow)
    described = await return_flow.order_of(db, ctx, person, draft)
    return_ = await return_flow.submit(db, ctx, person, draft)
    await state.clear()
    number = return_number(return_.id)
    await show(query, Screen(texts.summary(t, draft, described, sent_as=number)))
    await query.answer(t.gettext("Return request {number} is registered.").format(number=number))
    if ctx.return_photos_dir is not None and return_.photos and query.bot is not None:
        await return_photos.archive(query.bot, ctx.return_photos_dir, return_)


def build_router() -> Router:
    router = Router(name=__name__)
    on = router.callback_query.register
    step = ReturnStepCD.filter
    on(order_chosen, ReturnFlow.order, ReturnOrderCD.filter())
    on(item_pressed, ReturnFlow.items, ReturnItemCD.filter())
    on(items_list, ReturnFlow.items, step(F.action == ReturnStepAction.items))
    on(items_chosen, ReturnFlow.items, step(F.action == ReturnStepAction.next))
    on(reason_chosen, ReturnFlow.reason, ReturnReasonCD.filter())
    on(photos_done, ReturnFlow.photos, step(F.action == ReturnStepAction.done))
    on(photos_cleared, ReturnFlow.photos, step(F.action == ReturnStepAction.clear))
    on(comment_skipped, ReturnFlow.comment, step(F.action == ReturnStepAction.skip))
    on(resolution_chosen, ReturnFlow.resolution, ReturnResolutionCD.filter())
    on(submit_pressed, ReturnFlow.summary, step(F.action == ReturnStepAction.submit))
    return router
