"""Where a person is in a conversation. Order status itself lives in the database."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class OrderDialog(StatesGroup):
    change_text = State()  # data: order_id
    cancel_comment = State()  # data: order_id, chat_id, message_id


class ParcelDialog(StatesGroup):
    cannot_pick_comment = State()  # data: order_id
    refusal_comment = State()  # data: order_id
