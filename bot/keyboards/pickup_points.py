"""The results of a pickup point search: one button a point, 8 at a time, with pages."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.pickup_points import PickupPoint
from bot.i18n import Translator
from bot.keyboards.callbacks import OrderAction, OrderCD, PointCD, PointPageCD

MAX_LABEL = 60  # a longer button text is cut by Telegram's clients anyway


def _label(point: PickupPoint) -> str:
    text = point.description
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def points_keyboard(
    order_id: int, shown: Sequence[PickupPoint], page: int, pages: int, t: Translator
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=_label(point),
                callback_data=PointCD(order_id=order_id, ref=point.ref).pack(),
            )
        ]
        for point in shown
    ]
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                text=t.gettext("◀️ Back"),
                callback_data=PointPageCD(order_id=order_id, page=page - 1).pack(),
            )
        )
    if page + 1 < pages:
        nav.append(
            InlineKeyboardButton(
                text=t.gettext("More ▶️"),
                callback_data=PointPageCD(order_id=order_id, page=page + 1).pack(),
            )
        )
    if nav:
        rows.append(nav)
    again = OrderCD(action=OrderAction.point, order_id=order_id).pack()
    rows.append([InlineKeyboardButton(text=t.gettext("🔎 Search again"), callback_data=again)])
    return InlineKeyboardMarkup(inline_keyboard=rows)
