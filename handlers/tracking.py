"""Answers to tracking messages: pickup reminders, refusal reasons, ratings."""

from __future__ import annotations

from functools import partial

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import N_
from bot.domain.feedback import CannotPickReason, RefusalReason
from bot.i18n import Translator
from bot.keyboards.callbacks import (
    CannotPickCD,
    ExtensionAction,
    ExtensionCD,
    PickupAction,
    PickupCD,
    RatingCD,
    RefusalCD,
)
from bot.keyboards.tracking import (
    after_rating,
    cannot_pick_keyboard,
    extension_keyboard,
    pickup_keyboard,
)
from bot.services import parcel_answers, storage_extension
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.services.storage_extension import Extenders
from bot.telegram.dialogs import WRITTEN, InWords, reason_pressed, take_answer
from bot.telegram.states import ParcelDialog
from bot.texts import storage_extension as extension_texts
from storage.uow import Database

THANKS = N_("Thank you! We passed it on to a manager.")


async def pickup_today(
    query: CallbackQuery,
    callback_data: PickupCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    await parcel_answers.promise_pickup(db, ctx, callback_data.order_id, person)
    await query.answer(
        t.gettext("Great, see you there! Don't forget the waybill number."), show_alert=True
    )


async def cannot_pick(
    query: CallbackQuery, callback_data: PickupCD, db: Database, person: TelegramUser, t: Translator
) -> None:
    await parcel_answers.check_waiting(db, callback_data.order_id, person)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(
            reply_markup=cannot_pick_keyboard(callback_data.order_id, t)
        )
    await query.answer(t.gettext("What is in the way?"))


async def back_to_pickup(
    query: CallbackQuery, callback_data: PickupCD, db: Database, person: TelegramUser, t: Translator
) -> None:
    shipment = await parcel_answers.check_waiting(db, callback_data.order_id, person)
    if isinstance(query.message, Message):
        markup = pickup_keyboard(
            callback_data.order_id, t, can_extend=bool(shipment.can_extend_storage)
        )
        await query.message.edit_reply_markup(reply_markup=markup)
    await query.answer()


async def extend_storage(
    query: CallbackQuery,
    callback_data: PickupCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    extenders: Extenders | None = None,
) -> None:
    answer = await storage_extension.offer(db, ctx, extenders or {}, callback_data.order_id, person)
    if isinstance(answer, storage_extension.ManagerAsked):
        await query.answer(extension_texts.fallback(answer.why, t), show_alert=True)
        return
    if isinstance(query.message, Message):
        await query.message.answer(
            extension_texts.offer(answer.last_free_day, answer.cost, t),
            reply_markup=extension_keyboard(answer.extension_id, t),
        )
    await query.answer()


async def extension_confirmed(
    query: CallbackQuery,
    callback_data: ExtensionCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    extenders: Extenders | None = None,
) -> None:
    done = await storage_extension.confirm(
        db, ctx, extenders or {}, callback_data.extension_id, person
    )
    if isinstance(done, storage_extension.ManagerAsked):
        text = extension_texts.fallback(done.why, t)
    else:
        text = extension_texts.extended(done.last_free_day, t)
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=None)
    await query.answer()


async def extension_declined(
    query: CallbackQuery,
    callback_data: ExtensionCD,
    db: Database,
    person: TelegramUser,
    t: Translator,
) -> None:
    await storage_extension.decline(db, callback_data.extension_id, person)
    if isinstance(query.message, Message):
        await query.message.edit_text(extension_texts.declined(t), reply_markup=None)
    await query.answer()


async def cannot_pick_reason(
    query: CallbackQuery,
    callback_data: CannotPickCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
) -> None:
    order_id, reason = callback_data.order_id, callback_data.reason
    await reason_pressed(
        query,
        state,
        in_words=InWords(
            partial(parcel_answers.check_waiting, db, order_id, person),
            ParcelDialog.cannot_pick_comment,
            t.gettext("Please tell us in one message what is in the way."),
            {"order_id": order_id},
        )
        if reason is CannotPickReason.other
        else None,
        take=partial(parcel_answers.cannot_pick_up, db, ctx, order_id, person, reason),
        thanks=lambda _: t.gettext(THANKS),
        show_alert=True,
    )


async def cannot_pick_comment(
    message: Message,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
) -> None:
    data = await take_answer(state)
    await parcel_answers.cannot_pick_up(
        db, ctx, int(data["order_id"]), person, CannotPickReason.other, message.text
    )
    await message.answer(t.gettext(THANKS))


async def rated(
    query: CallbackQuery,
    callback_data: RatingCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    await parcel_answers.rate(db, ctx, callback_data.order_id, person, callback_data.stars)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=after_rating(query.message.reply_markup))
    await query.answer(t.gettext("Thank you for your rating!"))


async def refusal_reason(
    query: CallbackQuery,
    callback_data: RefusalCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
) -> None:
    order_id, reason = callback_data.order_id, callback_data.reason
    await reason_pressed(
        query,
        state,
        in_words=InWords(
            partial(parcel_answers.check_can_explain, db, order_id, person),
            ParcelDialog.refusal_comment,
            t.gettext("Please tell us in one message what went wrong."),
            {"order_id": order_id},
        )
        if reason is RefusalReason.other
        else None,
        take=partial(parcel_answers.explain_refusal, db, ctx, order_id, person, reason),
        thanks=lambda _: t.gettext("Thank you for telling us."),
    )


async def refusal_comment(
    message: Message,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
    state: FSMContext,
) -> None:
    data = await take_answer(state)
    await parcel_answers.explain_refusal(
        db, ctx, int(data["order_id"]), person, RefusalReason.other, message.text
    )
    await message.answer(t.gettext("Thank you for telling us."))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(pickup_today, PickupCD.filter(F.action == PickupAction.today))
    router.callback_query.register(cannot_pick, PickupCD.filter(F.action == PickupAction.cannot))
    router.callback_query.register(back_to_pickup, PickupCD.filter(F.action == PickupAction.back))
    router.callback_query.register(extend_storage, PickupCD.filter(F.action == PickupAction.extend))
    router.callback_query.register(
        extension_confirmed, ExtensionCD.filter(F.action == ExtensionAction.confirm)
    )
    router.callback_query.register(
        extension_declined, ExtensionCD.filter(F.action == ExtensionAction.decline)
    )
    router.callback_query.register(cannot_pick_reason, CannotPickCD.filter())
    router.callback_query.register(rated, RatingCD.filter())
    router.callback_query.register(refusal_reason, RefusalCD.filter())
    router.message.register(cannot_pick_comment, ParcelDialog.cannot_pick_comment, WRITTEN)
    router.message.register(refusal_comment, ParcelDialog.refusal_comment, WRITTEN)
    return router
