"""Buttons on a return's card in the managers' chat: only what the return's status allows."""

from __future__ import annotations

from aiogram.types import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.errors import N_
from bot.domain.return_desk import CARD_ROWS, DeskStep
from bot.domain.returns import ReturnStatus
from bot.i18n import Translator
from bot.keyboards.callbacks import ReturnAction, ReturnCD

LABELS = {
    ReturnAction.approve: N_("✅ Approve"),
    ReturnAction.reject: N_("❌ Reject"),
    ReturnAction.ask: N_("❓ Ask for more info"),
    ReturnAction.arrived: N_("📦 The parcel arrived"),
    ReturnAction.inspected_ok: N_("✅ Inspected: OK → refund"),
    ReturnAction.inspected_bad: N_("❌ Inspected: rejected"),
    ReturnAction.refunded: N_("💸 Refund sent"),
}

# A button's action and the desk step it stands for share their names.
STEP_OF = {action: DeskStep[action.name] for action in ReturnAction}
ACTION_OF = {step: action for action, step in STEP_OF.items()}

ACTIONS = {
    status: tuple(tuple(ACTION_OF[step] for step in row) for row in rows)
    for status, rows in CARD_ROWS.items()
}


def card_keyboard(return_id: int, status: str, t: Translator) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(
                text=t.gettext(LABELS[action]),
                callback_data=ReturnCD(action=action, return_id=return_id).pack(),
            )
            for action in row
        ]
        for row in ACTIONS.get(ReturnStatus(status), ())
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def answer_prompt(placeholder: str, *, selective: bool = False) -> ForceReply:
    """Open the reply field under a question (the answer then reaches the bot in a group too)."""
    return ForceReply(force_reply=True, selective=selective, input_field_placeholder=placeholder)
