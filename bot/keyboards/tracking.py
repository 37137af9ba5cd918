"""Keyboards of tracking messages: pickup reminders, reasons, ratings."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.feedback import RATINGS, CannotPickReason, RefusalReason
from bot.i18n import Translator
from bot.keyboards.callbacks import CannotPickCD, PickupAction, PickupCD, RatingCD, RefusalCD
from bot.texts import labels


def pickup_keyboard(order_id: int, t: Translator, *, can_extend: bool) -> InlineKeyboardMarkup:
    def button(text: str, action: PickupAction) -> list[InlineKeyboardButton]:
        return [
            InlineKeyboardButton(
                text=text, callback_data=PickupCD(action=action, order_id=order_id).pack()
            )
        ]

    rows = [
        button(t.gettext("👍 I'll pick it up today"), PickupAction.today),
        button(t.gettext("🙁 I can't pick it up"), PickupAction.cannot),
    ]
    if can_extend:
        rows.append(button(t.gettext("🗓 Extend storage"), PickupAction.extend))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def cannot_pick_keyboard(order_id: int, t: Translator) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=labels.cannot_pick_reason(t, reason),
                callback_data=CannotPickCD(reason=reason, order_id=order_id).pack(),
            )
        ]
        for reason in CannotPickReason
    ]
    back = PickupCD(action=PickupAction.back, order_id=order_id).pack()
    rows.append([InlineKeyboardButton(text=t.gettext("⬅️ Back"), callback_data=back)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def rating_keyboard(order_id: int) -> InlineKeyboardMarkup:
    row = [
        InlineKeyboardButton(
            text=f"{stars}⭐", callback_data=RatingCD(order_id=order_id, stars=stars).pack()
        )
        for stars in RATINGS
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def refusal_keyboard(order_id: int, t: Translator) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=labels.refusal_reason(t, reason),
                callback_data=RefusalCD(reason=reason, order_id=order_id).pack(),
            )
        ]
        for reason in RefusalReason
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)
