"""Buttons on risky-order and blacklist alerts in the managers' chat."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import N_, ButtonExpired
from bot.domain.risk_decisions import RiskDecision
from bot.domain.visible import without_bidi
from bot.i18n import Translator
from bot.keyboards.callbacks import RiskAction, RiskCD
from bot.keyboards.risk import blacklist_confirm_keyboard
from bot.services import risk_decisions
from bot.services.context import ServiceContext
from bot.services.people import MessageRef, TelegramUser
from storage.uow import Database

DECISIONS = {
    RiskAction.approve: RiskDecision.approve,
    RiskAction.prepay: RiskDecision.prepay,
    RiskAction.cancel: RiskDecision.cancel,
}
DONE = {
    RiskDecision.approve: N_("Approved."),
    RiskDecision.prepay: N_("The customer is asked to prepay."),
    RiskDecision.cancel: N_("The order is cancelled."),
}


def _alert(query: CallbackQuery) -> MessageRef:
    message = query.message
    if not isinstance(message, Message):
        raise ButtonExpired()
    return MessageRef(chat_id=message.chat.id, message_id=message.message_id)


async def decision_pressed(
    query: CallbackQuery,
    callback_data: RiskCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    decision = DECISIONS[callback_data.action]
    await risk_decisions.decide(db, ctx, callback_data.order_id, decision, person, _alert(query))
    await query.answer(t.gettext(DONE[decision]))


async def blacklist_pressed(
    query: CallbackQuery,
    callback_data: RiskCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """Ask "are you sure?" by swapping the buttons; nothing changes yet."""
    await risk_decisions.current_alert(db, ctx, callback_data.order_id, person)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(
            reply_markup=blacklist_confirm_keyboard(callback_data.order_id, t)
        )
    await query.answer(t.gettext("Blacklist this customer? Their next orders will be flagged."))


async def back_pressed(
    query: CallbackQuery,
    callback_data: RiskCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    _, markup = await risk_decisions.current_alert(db, ctx, callback_data.order_id, person)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=markup)
    await query.answer()


async def blacklist_confirmed(
    query: CallbackQuery,
    callback_data: RiskCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    order = await risk_decisions.blacklist_from_alert(
        db, ctx, callback_data.order_id, person, _alert(query)
    )
    await query.answer(
        t.gettext("{name} is blacklisted.").format(name=without_bidi(order.customer.name)),
        show_alert=False,
    )


async def take_pressed(
    query: CallbackQuery,
    callback_data: RiskCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    await risk_decisions.take(db, ctx, callback_data.order_id, person, _alert(query))
    await query.answer(t.gettext("The order is yours."))


def build_router() -> Router:
    router = Router(name=__name__)
    register = router.callback_query.register
    register(decision_pressed, RiskCD.filter(F.action.in_(set(DECISIONS))))
    register(blacklist_pressed, RiskCD.filter(F.action == RiskAction.blacklist))
    register(blacklist_confirmed, RiskCD.filter(F.action == RiskAction.blacklist_confirmed))
    register(back_pressed, RiskCD.filter(F.action == RiskAction.back))
    register(take_pressed, RiskCD.filter(F.action == RiskAction.take))
    return router
