"""Where a person is in a conversation. Order status itself lives in the database."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class OrderDialog(StatesGroup):
    change_text = State()  # data: order_id
    cancel_comment = State()  # data: order_id, chat_id, message_id
    point_query = State()  # data: order_id, query (the last search, for its pages)


class ParcelDialog(StatesGroup):
    cannot_pick_comment = State()  # data: order_id
    refusal_comment = State()  # data: order_id


class ReturnFlow(StatesGroup):
    """A return request, one step at a time (``bot/domain/return_steps.py``: same names).

    data: the draft (``bot/domain/return_draft.py``), JSON.
    """

    order = State()
    items = State()
    reason = State()
    reason_text = State()
    photos = State()
    comment = State()
    resolution = State()
    iban = State()
    holder = State()
    exchange = State()
    summary = State()


class ReturnDeskDialog(StatesGroup):
    """A manager answering the desk's question under a return's card (a reply to the prompt)."""

    reject_reason = State()  # data: return_id, prompt_id
    question = State()  # data: return_id, prompt_id
    inspection_reason = State()  # data: return_id, prompt_id
    refund_amount = State()  # data: return_id, prompt_id
