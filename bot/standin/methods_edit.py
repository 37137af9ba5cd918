"""Changing what was sent: edits, deletion, callback query answers."""

from __future__ import annotations

from typing import Any

from bot.standin.content import render_caption, render_text
from bot.standin.errors import (
    CALLBACK_TEXT_TOO_LONG,
    CANT_DELETE,
    CANT_EDIT,
    DELETE_NOT_FOUND,
    EDIT_NOT_FOUND,
    MESSAGE_ID_MISSING,
    NO_TEXT_TO_EDIT,
    NOT_MODIFIED,
    QUERY_INVALID,
    bad_request,
)
from bot.standin.markup import parse_markup
from bot.standin.methods_send import Handler
from bot.standin.params import Params
from bot.standin.records import CallbackAnswer, StoredMessage
from bot.standin.state import World
from bot.standin.wire import message_json

MAX_AGE_TO_DELETE = 48 * 3600
MAX_CALLBACK_TEXT = 200


def _editable(world: World, params: Params) -> StoredMessage:
    if params.has("inline_message_id"):
        raise bad_request("the stand-in does not model inline messages (inline_message_id)")
    if not params.has("chat_id") or not params.has("message_id"):
        raise bad_request(MESSAGE_ID_MISSING)
    chat_ref = params.chat_ref()
    message_id = params.integer("message_id")
    assert message_id is not None
    chat = world.bot_chat(chat_ref)
    message = world.message_in(chat, message_id, bad_request(EDIT_NOT_FOUND, "state"))
    if not message.from_bot:
        raise bad_request(CANT_EDIT, "state")
    return message


def _inline_markup(message: StoredMessage) -> dict[str, Any] | None:
    markup = message.reply_markup
    return markup if markup and "inline_keyboard" in markup else None


def _apply(
    world: World,
    message: StoredMessage,
    changes: dict[str, Any],
    source: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Apply ``changes`` (compared for "not modified") and ``source`` (raw text, mode)."""
    current = {name: getattr(message, name) for name in changes}
    if current == changes:
        raise bad_request(NOT_MODIFIED)
    before = message.snapshot()
    for name, value in {**changes, **(source or {})}.items():
        setattr(message, name, value)
    world.record_edit(message, before)
    return message_json(world, message)


async def edit_message_text(world: World, params: Params) -> dict[str, Any]:
    source, mode = params.text("text"), params.text("parse_mode")
    parsed = render_text(source, mode)
    markup = parse_markup(params.json("reply_markup"), inline_only=True)
    message = _editable(world, params)
    if message.text is None:
        raise bad_request(NO_TEXT_TO_EDIT)
    if _inline_markup(message) is None and markup is None:
        markup = message.reply_markup  # a reply keyboard is not part of the message
    changes = {
        "text": parsed.text,
        "entities": parsed.entity_dicts(),
        "reply_markup": markup,
    }
    return _apply(world, message, changes, {"raw": source, "parse_mode": mode})


async def edit_message_caption(world: World, params: Params) -> dict[str, Any]:
    source, mode = params.text("caption"), params.text("parse_mode")
    caption = render_caption(source, mode)
    markup = parse_markup(params.json("reply_markup"), inline_only=True)
    message = _editable(world, params)
    if message.kind != "photo":
        raise bad_request("there is no caption in the message to edit")
    changes = {
        "caption": caption.text if caption else None,
        "entities": caption.entity_dicts() if caption else [],
        "reply_markup": markup,
    }
    return _apply(world, message, changes, {"raw": source, "parse_mode": mode})


async def edit_message_reply_markup(world: World, params: Params) -> dict[str, Any]:
    markup = parse_markup(params.json("reply_markup"), inline_only=True)
    message = _editable(world, params)
    if _inline_markup(message) is None and markup is None:
        raise bad_request(NOT_MODIFIED)
    return _apply(world, message, {"reply_markup": markup})


async def delete_message(world: World, params: Params) -> bool:
    chat_ref = params.chat_ref()
    message_id = params.integer("message_id")
    if message_id is None:
        raise bad_request(MESSAGE_ID_MISSING)
    chat = world.bot_chat(chat_ref, writing=False)
    message = world.message_in(chat, message_id, bad_request(DELETE_NOT_FOUND, "state"))
    if chat.type != "private" and not message.from_bot:
        raise bad_request(CANT_DELETE, "state")
    if world.now() - message.date > MAX_AGE_TO_DELETE:
        raise bad_request(CANT_DELETE, "state")
    message.deleted = True
    world.changed()
    return True


async def answer_callback_query(world: World, params: Params) -> bool:
    query_id = params.text("callback_query_id")
    text = params.text("text")
    if text is not None and len(text) > MAX_CALLBACK_TEXT:
        raise bad_request(CALLBACK_TEXT_TOO_LONG)
    record = world.callbacks.get(query_id or "")
    expired = record is not None and world.clock() - record.created_at > world.callback_ttl
    if record is None or record.answered or expired:
        raise bad_request(QUERY_INVALID, "state")
    record.answer = CallbackAnswer(
        text=text or None,
        show_alert=params.flag("show_alert"),
        url=params.text("url"),
    )
    record.answered_event.set()
    world.changed()
    return True


EDIT_METHODS: dict[str, Handler] = {
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
}
