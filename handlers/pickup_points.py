"""'📍 Change the branch' on a new order's card: search the carrier's points, page, choose."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.carriers.capabilities import PickupPoints
from bot.domain.pickup_points import page_of
from bot.i18n import Translator
from bot.keyboards.callbacks import OrderAction, OrderCD, PointCD, PointPageCD
from bot.keyboards.pickup_points import points_keyboard
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.services.pickup_points import change
from bot.telegram.dialogs import WRITTEN
from bot.telegram.states import OrderDialog
from bot.texts import pickup_points as texts
from storage.uow import Database

# Without the dispatcher's ``pickup_points`` (no carrier key set) no point can be chosen.
NO_POINTS: Mapping[str, PickupPoints] = MappingProxyType({})


async def change_point_pressed(
    query: CallbackQuery,
    callback_data: OrderCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
    pickup_points: Mapping[str, PickupPoints] = NO_POINTS,
) -> None:
    order = await change.start_change(db, ctx, pickup_points, callback_data.order_id, person)
    await state.set_state(OrderDialog.point_query)
    await state.set_data({"order_id": order.id})
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(texts.search_prompt(order, t))


async def query_written(
    message: Message,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
    pickup_points: Mapping[str, PickupPoints] = NO_POINTS,
) -> None:
    order_id = int((await state.get_data())["order_id"])
    found = await change.search_points(db, ctx, pickup_points, order_id, person, message.text or "")
    await state.update_data(query=found.query)  # its pages; another message searches again
    shown, pages = page_of(found.found, 0)
    await message.answer(
        texts.results(found.order, found.query, len(found.found), 0, pages, t),
        reply_markup=points_keyboard(order_id, shown, 0, pages, t) if shown else None,
    )


async def page_pressed(
    query: CallbackQuery,
    callback_data: PointPageCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
    pickup_points: Mapping[str, PickupPoints] = NO_POINTS,
) -> None:
    data = await state.get_data()
    if data.get("order_id") != callback_data.order_id or not data.get("query"):
        await query.answer(texts.list_expired(t), show_alert=True)
        return
    order_id = callback_data.order_id
    found = await change.search_points(db, ctx, pickup_points, order_id, person, data["query"])
    shown, pages = page_of(found.found, callback_data.page)
    page = min(callback_data.page, pages - 1)
    if isinstance(query.message, Message):
        await query.message.edit_text(
            texts.results(found.order, found.query, len(found.found), page, pages, t),
            reply_markup=points_keyboard(order_id, shown, page, pages, t) if shown else None,
        )
    await query.answer()


async def point_pressed(
    query: CallbackQuery,
    callback_data: PointCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
    pickup_points: Mapping[str, PickupPoints] = NO_POINTS,
) -> None:
    order = await change.choose_point(
        db, ctx, pickup_points, callback_data.order_id, person, callback_data.ref
    )
    if await state.get_state() == OrderDialog.point_query:
        await state.clear()
    if isinstance(query.message, Message):
        await query.message.edit_text(texts.chosen(order, t), reply_markup=None)
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        change_point_pressed, OrderCD.filter(F.action == OrderAction.point)
    )
    router.callback_query.register(page_pressed, PointPageCD.filter())
    router.callback_query.register(point_pressed, PointCD.filter())
    router.message.register(query_written, OrderDialog.point_query, WRITTEN)
    return router
