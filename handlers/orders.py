"""The customer's order card: Confirm, Change, Cancel (with a reason), and /orders."""

from __future__ import annotations

from functools import partial

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain.orders import CancelReason, OrderStatus
from bot.i18n import Translator
from bot.keyboards.callbacks import CancelCD, OrderAction, OrderCD
from bot.keyboards.orders import cancel_reasons_keyboard, confirm_keyboard
from bot.keyboards.returns.flow import start_keyboard
from bot.services import confirmation, customers
from bot.services.context import ServiceContext
from bot.services.people import MessageRef, TelegramUser
from bot.telegram import dialogs
from bot.telegram.dialogs import WRITTEN, ask_in_words, take_answer
from bot.telegram.states import OrderDialog
from bot.texts.escaping import escape
from bot.texts.orders import order_line
from storage.uow import Database


def _card(query: CallbackQuery) -> MessageRef | None:
    message = query.message
    if message is None or not isinstance(message, Message):
        return None
    return MessageRef(chat_id=message.chat.id, message_id=message.message_id)


async def confirm_pressed(
    query: CallbackQuery,
    callback_data: OrderCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    order = await confirmation.confirm(db, ctx, callback_data.order_id, person, _card(query))
    await query.answer(
        t.gettext("Thank you! Order {number} is confirmed.").format(number=order.external_id)
    )


async def cancel_pressed(
    query: CallbackQuery,
    callback_data: OrderCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    await confirmation.check_can_answer(db, ctx, callback_data.order_id, person)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(
            reply_markup=cancel_reasons_keyboard(callback_data.order_id, t)
        )
    await query.answer(t.gettext("Why do you want to cancel?"))


async def back_pressed(
    query: CallbackQuery,
    callback_data: OrderCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    order = await confirmation.check_can_answer(db, ctx, callback_data.order_id, person)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(
            reply_markup=confirm_keyboard(
                order.id, t, change_point=ctx.can_change_point(order.carrier)
            )
        )
    await query.answer()


async def reason_pressed(
    query: CallbackQuery,
    callback_data: CancelCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
) -> None:
    order_id, reason, card = callback_data.order_id, callback_data.reason, _card(query)
    await dialogs.reason_pressed(
        query,
        state,
        in_words=dialogs.InWords(
            partial(confirmation.check_can_answer, db, ctx, order_id, person),
            OrderDialog.cancel_comment,
            t.gettext("Please tell us in one message why you are cancelling."),
            {
                "order_id": order_id,
                "chat_id": card.chat_id if card else None,
                "message_id": card.message_id if card else None,
            },
        )
        if reason is CancelReason.other
        else None,
        take=partial(confirmation.cancel, db, ctx, order_id, person, reason, None, card),
        thanks=lambda order: t.gettext("Order {number} is cancelled.").format(
            number=order.external_id
        ),
        remove_buttons=False,  # the service edits the card
    )


async def cancel_comment_written(
    message: Message,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
) -> None:
    data = await take_answer(state)
    card = None
    if data.get("chat_id") and data.get("message_id"):
        card = MessageRef(chat_id=data["chat_id"], message_id=data["message_id"])
    order = await confirmation.cancel(
        db, ctx, int(data["order_id"]), person, CancelReason.other, message.text, card
    )
    await message.answer(
        t.gettext("Order <b>{number}</b> is cancelled. Thank you for telling us why.").format(
            number=escape(order.external_id)
        )
    )


async def change_pressed(
    query: CallbackQuery,
    callback_data: OrderCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
) -> None:
    order = await confirmation.check_can_answer(db, ctx, callback_data.order_id, person)
    prompt = t.gettext(
        "What would you like to change in order <b>{number}</b>? "
        "Write it in one message: size, colour, address, anything."
    ).format(number=escape(order.external_id))
    await ask_in_words(query, state, OrderDialog.change_text, prompt, order_id=order.id)


async def change_written(
    message: Message, db: Database, ctx: ServiceContext, person: TelegramUser, state: FSMContext
) -> None:
    data = await take_answer(state)
    await confirmation.request_change(db, ctx, int(data["order_id"]), person, message.text or "")


async def list_orders(message: Message, db: Database, person: TelegramUser, t: Translator) -> None:
    orders = await customers.recent_orders(db, person)
    if not orders:
        await message.answer(
            t.gettext("You have no orders with us yet. Send /start to link your phone number.")
        )
        return
    lines = [t.gettext("<b>Your recent orders</b>"), ""]
    lines += [order_line(order, t) for order in orders]
    received = any(order.status == OrderStatus.received for order in orders)
    markup = start_keyboard(0, t) if received else None  # "Return an item": which order, asked
    await message.answer("\n".join(lines), reply_markup=markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(confirm_pressed, OrderCD.filter(F.action == OrderAction.confirm))
    router.callback_query.register(cancel_pressed, OrderCD.filter(F.action == OrderAction.cancel))
    router.callback_query.register(back_pressed, OrderCD.filter(F.action == OrderAction.back))
    router.callback_query.register(reason_pressed, CancelCD.filter())
    router.message.register(cancel_comment_written, OrderDialog.cancel_comment, WRITTEN)
    router.callback_query.register(change_pressed, OrderCD.filter(F.action == OrderAction.change))
    router.message.register(change_written, OrderDialog.change_text, WRITTEN)
    router.message.register(list_orders, Command("orders"), F.chat.type == "private")
    return router
