"""Keyboards of the managers' chat."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.keyboards.callbacks import ManagerAction, ManagerCD


def call_keyboard(order_id: int, t: Translator) -> InlineKeyboardMarkup:
    data = ManagerCD(action=ManagerAction.take_call, order_id=order_id).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t.gettext("📞 I'll call"), callback_data=data)]]
    )
