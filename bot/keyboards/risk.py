"""Buttons on risky-order alerts and on the /blacklisted list."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.risk_decisions import AlertState, RiskDecision
from bot.domain.visible import without_bidi
from bot.i18n import Translator
from bot.keyboards.callbacks import (
    BlacklistPageCD,
    ForgetAction,
    ForgetCD,
    RiskAction,
    RiskCD,
    UnblockCD,
)


def alert_keyboard(order_id: int, state: AlertState, t: Translator) -> InlineKeyboardMarkup | None:
    """What a manager can still do about the order; None once there is nothing left."""

    def button(text: str, action: RiskAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=text, callback_data=RiskCD(action=action, order_id=order_id).pack()
        )

    allowed = state.allowed()
    decisions = []
    if RiskDecision.approve in allowed:
        decisions.append(button(t.gettext("✅ Approve"), RiskAction.approve))
    if RiskDecision.prepay in allowed:
        decisions.append(button(t.gettext("💳 Require prepayment"), RiskAction.prepay))
    others = []
    if RiskDecision.cancel in allowed:
        others.append(button(t.gettext("❌ Cancel order"), RiskAction.cancel))
    if state.can_blacklist:
        others.append(button(t.gettext("⛔ Blacklist"), RiskAction.blacklist))
    rows = [row for row in (decisions, others) if row]
    if state.can_take:
        rows.append([button(t.gettext("🙋 I'll handle it"), RiskAction.take)])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def blacklist_confirm_keyboard(order_id: int, t: Translator) -> InlineKeyboardMarkup:
    def button(text: str, action: RiskAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=text, callback_data=RiskCD(action=action, order_id=order_id).pack()
        )

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(t.gettext("⛔ Yes, blacklist"), RiskAction.blacklist_confirmed),
                button(t.gettext("↩️ No, back"), RiskAction.back),
            ]
        ]
    )


def blacklisted_keyboard(
    entries: list[tuple[int, str]], page: int, pages: int, t: Translator
) -> InlineKeyboardMarkup | None:
    """One Unblock button per customer on the page, then Previous / Next."""
    rows = [
        [
            InlineKeyboardButton(
                text=t.gettext("🔓 Unblock {name}").format(name=without_bidi(name)),
                callback_data=UnblockCD(customer_id=customer_id, page=page).pack(),
            )
        ]
        for customer_id, name in entries
    ]
    paging = []
    if page > 0:
        paging.append(
            InlineKeyboardButton(
                text=t.gettext("◀️ Previous"), callback_data=BlacklistPageCD(page=page - 1).pack()
            )
        )
    if page + 1 < pages:
        paging.append(
            InlineKeyboardButton(
                text=t.gettext("Next ▶️"), callback_data=BlacklistPageCD(page=page + 1).pack()
            )
        )
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def forget_keyboard(customer_id: int, t: Translator) -> InlineKeyboardMarkup:
    """Under /forget: erase for good, or keep everything."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t.gettext("🗑 Erase for good"),
                    callback_data=ForgetCD(
                        action=ForgetAction.erase, customer_id=customer_id
                    ).pack(),
                ),
                InlineKeyboardButton(
                    text=t.gettext("Keep"),
                    callback_data=ForgetCD(
                        action=ForgetAction.keep, customer_id=customer_id
                    ).pack(),
                ),
            ]
        ]
    )
