"""Keyboards of tracking messages: pickup reminders, reasons, ratings."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.feedback import RATINGS, CannotPickReason, RefusalReason
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


def extension_keyboard(extension_id: int, t: Translator) -> InlineKeyboardMarkup:
    """Under the carrier's offer: confirm it or keep the storage as it is."""

    def button(text: str, action: ExtensionAction) -> InlineKeyboardButton:
        data = ExtensionCD(action=action, extension_id=extension_id).pack()
        return InlineKeyboardButton(text=text, callback_data=data)

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(t.gettext("✅ Confirm"), ExtensionAction.confirm)],
            [button(t.gettext("No, thanks"), ExtensionAction.decline)],
        ]
    )


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


def rating_keyboard(
    order_id: int, return_button: InlineKeyboardButton | None = None
) -> InlineKeyboardMarkup:
    """1–5 stars, and "Return an item" under them when the order has something to return."""
    row = [
        InlineKeyboardButton(
            text=f"{stars}⭐", callback_data=RatingCD(order_id=order_id, stars=stars).pack()
        )
        for stars in RATINGS
    ]
    rows = [row, [return_button]] if return_button is not None else [row]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def after_rating(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The received-order message once rated: the stars go, "Return an item" stays."""
    rows = [
        row
        for row in (markup.inline_keyboard if markup else [])
        if not any(_is_rating(button.callback_data) for button in row)
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _is_rating(data: str | None) -> bool:
    try:
        RatingCD.unpack(data or "")
    except (TypeError, ValueError):
        return False
    return True


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
