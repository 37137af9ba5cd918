"""Keyboards of the customer's order card."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.orders import CancelReason
from bot.i18n import Translator
from bot.keyboards.callbacks import CancelCD, OrderAction, OrderCD
from bot.texts import labels


def confirm_keyboard(
    order_id: int, t: Translator, *, change_point: bool = False
) -> InlineKeyboardMarkup:
    """``change_point``: the carrier's points can be searched ("Change the branch")."""

    def button(text: str, action: OrderAction) -> InlineKeyboardButton:
        data = OrderCD(action=action, order_id=order_id).pack()
        return InlineKeyboardButton(text=text, callback_data=data)

    rows = [
        [button(t.gettext("✅ Confirm"), OrderAction.confirm)],
        [
            button(t.gettext("✏️ Change"), OrderAction.change),
            button(t.gettext("❌ Cancel"), OrderAction.cancel),
        ],
    ]
    if change_point:
        rows.append([button(t.gettext("📍 Change the branch"), OrderAction.point)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def cancel_reasons_keyboard(order_id: int, t: Translator) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=labels.cancel_reason(t, reason),
                callback_data=CancelCD(reason=reason, order_id=order_id).pack(),
            )
        ]
        for reason in CancelReason
    ]
    back = OrderCD(action=OrderAction.back, order_id=order_id).pack()
    rows.append([InlineKeyboardButton(text=t.gettext("⬅️ Back"), callback_data=back)])
    return InlineKeyboardMarkup(inline_keyboard=rows)
