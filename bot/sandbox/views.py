"""The stand-in's world as the sandbox page draws it: chats, messages, keyboards, violations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox.render import entities_to_html
from bot.standin.errors import VIOLATION_KINDS
from bot.standin.records import ApiCall, ChatRecord, StoredMessage
from bot.standin.state import World

PARAMS_SHOWN = 600  # characters of a refused request's parameters shown on the page
QUOTE_CHARS = 90  # of a replied-to message, shown above the reply as Telegram does


def message_view(world: World, message: StoredMessage, tz: ZoneInfo) -> dict[str, Any]:
    sender = world.users.get(message.sender_id)
    visible = message.text if message.text is not None else message.caption
    if visible and not message.from_bot and visible.startswith("/start "):
        visible = "/start"  # a deep link's payload is not shown in Telegram either
    view: dict[str, Any] = {
        "id": message.message_id,
        "from_bot": message.from_bot,
        "sender": world.bot.first_name
        if message.from_bot
        else (sender.first_name if sender else ""),
        "time": datetime.fromtimestamp(message.date, UTC).astimezone(tz).strftime("%H:%M"),
        "kind": message.kind,
        "html": entities_to_html(visible, message.entities) if visible else "",
        "edited": message.edited,
        "buttons": _inline_rows(message),
    }
    if message.photo:
        view["photo"] = message.photo[-1]["file_id"]
    if message.contact:
        view["contact"] = {
            "phone": message.contact.get("phone_number"),
            "name": message.contact.get("first_name"),
        }
    if message.sticker:
        view["sticker"] = message.sticker.get("emoji")
    if message.reply_to is not None:
        view["reply_to"] = message.reply_to
        replied = world.chats[message.chat_id].find(message.reply_to)
        if replied is not None and not replied.deleted:
            view["quote"] = quote_view(world, replied)
    if not message.reached_bot:
        view["unseen"] = True  # privacy mode kept it from the bot: the page greys it
    force_reply = (message.reply_markup or {}).get("force_reply")
    if message.from_bot and force_reply and not message.edited:  # an edited one was answered
        # Telegram opens the reply field under such a question: the page does too
        view["force_reply"] = (message.reply_markup or {}).get("input_field_placeholder") or ""
    return view


def quote_view(world: World, message: StoredMessage) -> dict[str, Any]:
    """The quoted message above a reply: who wrote it and the start of what they wrote."""
    sender = world.users.get(message.sender_id)
    text = " ".join(message.visible.split())
    return {
        "id": message.message_id,
        "sender": world.bot.first_name
        if message.from_bot
        else (sender.first_name if sender else ""),
        "text": text[:QUOTE_CHARS] + ("…" if len(text) > QUOTE_CHARS else ""),
        "photo": bool(message.photo),
    }


def _inline_rows(message: StoredMessage) -> list[list[dict[str, Any]]]:
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    return [
        [
            {
                "text": button.get("text", ""),
                "kind": "callback"
                if "callback_data" in button
                else "url"
                if "url" in button
                else "other",
                "url": button.get("url"),
            }
            for button in row
        ]
        for row in rows
    ]


def reply_keyboard(chat: ChatRecord) -> list[list[dict[str, Any]]] | None:
    """The reply keyboard the chat shows now: the latest bot message that set or removed one."""
    for message in reversed(chat.bot_messages):
        markup = message.reply_markup or {}
        if "keyboard" in markup:
            return [
                [
                    {"text": b.get("text", ""), "contact": bool(b.get("request_contact"))}
                    for b in row
                ]
                for row in markup["keyboard"]
            ]
        if markup.get("remove_keyboard"):
            return None
    return None


def chat_view(world: World, chat: ChatRecord, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": chat.id,
        "title": chat.title,
        "messages": [message_view(world, m, tz) for m in chat.messages if not m.deleted],
        "keyboard": reply_keyboard(chat),
        "toasts": _toasts(world, chat.id),
    }


def _toasts(world: World, chat_id: int) -> list[dict[str, Any]]:
    """The bot's answers to button presses in this chat (popups and alerts), latest last."""
    answers = []
    for record in world.callbacks.values():
        if record.chat_id == chat_id and record.answer and record.answer.text:
            answers.append(
                {"id": record.id, "text": record.answer.text, "alert": record.answer.show_alert}
            )
    return answers[-5:]


def violations_view(calls: Iterable[ApiCall]) -> list[dict[str, Any]]:
    """Every request Telegram would have refused because the bot broke a rule, and every 429."""
    shown = []
    for call in calls:
        if call.kind in VIOLATION_KINDS or call.status == 429:
            params = repr(call.params)
            shown.append(
                {
                    "seq": call.seq,
                    "method": call.method,
                    "status": call.status,
                    "description": call.description,
                    "params": params[:PARAMS_SHOWN] + ("…" if len(params) > PARAMS_SHOWN else ""),
                }
            )
    return shown[-50:]
