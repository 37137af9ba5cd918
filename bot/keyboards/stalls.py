"""Keyboards of stalled parcels: "I'll handle it" on an announcement, the pages of /stalled."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.keyboards.callbacks import StallAction, StallCD, StallPageCD


def handle_keyboard(stall_id: int, t: Translator) -> InlineKeyboardMarkup:
    data = StallCD(action=StallAction.take, stall_id=stall_id).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=t.gettext("🙋 I'll handle it"), callback_data=data)]
        ]
    )


def page_keyboard(page: int, pages: int, t: Translator) -> InlineKeyboardMarkup | None:
    """Previous / Next under a page of /stalled; None when there is one page."""
    row = []
    if page > 0:
        row.append(
            InlineKeyboardButton(
                text=t.gettext("◀️ Previous"), callback_data=StallPageCD(page=page - 1).pack()
            )
        )
    if page + 1 < pages:
        row.append(
            InlineKeyboardButton(
                text=t.gettext("Next ▶️"), callback_data=StallPageCD(page=page + 1).pack()
            )
        )
    return InlineKeyboardMarkup(inline_keyboard=[row]) if row else None
