"""Turn an outbox row into a Bot API call, and write back what the call produced."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram import Bot
from aiogram.methods import (
    CopyMessage,
    DeleteMessage,
    EditMessageCaption,
    EditMessageMedia,
    EditMessageReplyMarkup,
    EditMessageText,
    ForwardMessage,
    PinChatMessage,
    SendDocument,
    SendLocation,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
    UnpinChatMessage,
)
from aiogram.types import (
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.domain.message_purposes import MessagePurpose
from storage.models import OutboxMessage
from storage.uow import Database, UnitOfWork

NO_CARD_TO_EDIT = "no card to edit"

METHODS: Mapping[str, type[TelegramMethod[Any]]] = {
    "sendMessage": SendMessage,
    "sendPhoto": SendPhoto,
    "sendDocument": SendDocument,
    "sendMediaGroup": SendMediaGroup,
    "sendLocation": SendLocation,
    "copyMessage": CopyMessage,
    "forwardMessage": ForwardMessage,
    "editMessageText": EditMessageText,
    "editMessageCaption": EditMessageCaption,
    "editMessageReplyMarkup": EditMessageReplyMarkup,
    "editMessageMedia": EditMessageMedia,
    "deleteMessage": DeleteMessage,
    "pinChatMessage": PinChatMessage,
    "unpinChatMessage": UnpinChatMessage,
}

_MARKUPS: tuple[tuple[str, type[Any]], ...] = (
    ("inline_keyboard", InlineKeyboardMarkup),
    ("keyboard", ReplyKeyboardMarkup),
    ("remove_keyboard", ReplyKeyboardRemove),
    ("force_reply", ForceReply),
)


class UnsupportedMethod(ValueError):
    """The outbox row names a method the sender does not know."""


def parse_markup(markup: Mapping[str, Any]) -> Any:
    """A reply_markup dict → the markup type its distinguishing key names."""
    for key, markup_type in _MARKUPS:
        if key in markup:
            return markup_type.model_validate(markup)
    raise ValueError(f"unknown reply_markup with keys {sorted(markup)}")


def build_method(name: str, payload: Mapping[str, Any]) -> TelegramMethod[Any]:
    """``("sendMessage", {"chat_id": 1, "text": "Hi"})`` → ``SendMessage(chat_id=1, text="Hi")``."""
    method_type = METHODS.get(name)
    if method_type is None:
        raise UnsupportedMethod(f"unsupported Bot API method {name!r}")
    data = dict(payload)
    markup = data.get("reply_markup")
    if isinstance(markup, Mapping):
        data["reply_markup"] = parse_markup(markup)
    return method_type.model_validate(data)


async def call(bot: Bot, method: TelegramMethod[Any]) -> Any:
    return await bot(method)


def sent_ids(result: Any) -> tuple[int | None, int | None]:
    """``(message_id, chat_id)`` of what a call returned; ``(None, None)`` for ``True``."""
    if isinstance(result, list) and result:
        result = result[0]
    if isinstance(result, Message):
        return result.message_id, result.chat.id
    return None, None


def edited_message_id(method: TelegramMethod[Any]) -> int | None:
    message_id = getattr(method, "message_id", None)
    return message_id if isinstance(message_id, int) else None


async def prepare(db: Database, row: OutboxMessage) -> TelegramMethod[Any] | None:
    """The call to make for ``row``; ``None`` when there is nothing to do (no card to edit yet).

    An order-card edit learns which message to edit only now, from the card the order recorded
    when it was sent (lanes guarantee the card went first).
    """
    payload = dict(row.payload)
    if row.purpose == MessagePurpose.edit_order_card:
        if row.order_id is None:
            return None
        async with db.read() as uow:
            order = await uow.orders.get(row.order_id)
        if order is None or order.card_chat_id is None or order.card_message_id is None:
            return None
        payload["chat_id"] = order.card_chat_id
        payload["message_id"] = order.card_message_id
    elif row.purpose == MessagePurpose.edit_return_card:
        if row.return_id is None:
            return None
        async with db.read() as uow:
            return_ = await uow.returns.get(row.return_id)
        if return_ is None or return_.card_message_id is None:
            return None
        payload["message_id"] = return_.card_message_id
    elif row.chat_id is not None and "chat_id" not in payload:
        payload["chat_id"] = row.chat_id
    return build_method(row.method, payload)


async def record_sent(
    uow: UnitOfWork,
    row: OutboxMessage,
    *,
    message_id: int | None,
    chat_id: int | None,
    note: str | None = None,
) -> None:
    """Mark ``row`` sent and, for an order's or a return's card, remember where the card is
    (same transaction)."""
    await uow.outbox.mark_sent(row.id, now=uow.clock.now(), sent_message_id=message_id, note=note)
    if (
        row.purpose == MessagePurpose.order_card
        and row.order_id is not None
        and message_id is not None
    ):
        order = await uow.orders.get(row.order_id)
        # A card in flight while its customer was erased: their chat is not written back.
        if order is not None and order.customer.erased_at is None:
            order.card_chat_id = chat_id if chat_id is not None else row.chat_id
            order.card_message_id = message_id
    if (
        row.purpose == MessagePurpose.return_card
        and row.return_id is not None
        and message_id is not None
    ):
        return_ = await uow.returns.get(row.return_id)
        if return_ is not None:
            return_.card_message_id = message_id
