"""Bot API JSON shapes (User, Chat, ChatFullInfo, Message...) built from records."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.standin.records import BotIdentity, ChatRecord, StoredMessage, UserRecord
from bot.standin.state import World


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def user_json(user: UserRecord) -> dict[str, Any]:
    return _drop_none(
        {
            "id": user.id,
            "is_bot": False,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "username": user.username,
            "language_code": user.language_code,
        }
    )


def bot_json(bot: BotIdentity, *, get_me: bool = False, privacy: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": bot.id,
        "is_bot": True,
        "first_name": bot.first_name,
        "username": bot.username,
    }
    if get_me:
        data.update(
            can_join_groups=True,
            can_read_all_group_messages=not privacy,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
    return data


def chat_json(world: World, chat: ChatRecord) -> dict[str, Any]:
    if chat.type == "private":
        user = world.users[chat.id]
        return _drop_none(
            {
                "id": chat.id,
                "type": "private",
                "first_name": user.first_name,
                "last_name": user.last_name,
                "username": user.username,
            }
        )
    return {"id": chat.id, "type": chat.type, "title": chat.title}


def chat_full_json(world: World, chat: ChatRecord) -> dict[str, Any]:
    data = chat_json(world, chat)
    data.update(
        accent_color_id=0,
        max_reaction_count=11,
        accepted_gift_types={
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    )
    return data


def sender_json(world: World, message: StoredMessage) -> dict[str, Any]:
    if message.from_bot:
        return bot_json(world.bot)
    return user_json(world.users[message.sender_id])


def message_json(world: World, message: StoredMessage) -> dict[str, Any]:
    data: dict[str, Any] = {
        "message_id": message.message_id,
        "from": sender_json(world, message),
        "chat": chat_json(world, world.chats[message.chat_id]),
        "date": message.date,
    }
    optional: dict[str, Any] = {
        "forward_origin": message.forward_origin,
        "edit_date": message.edit_date,
        "media_group_id": message.media_group_id,
        "text": message.text,
        "photo": message.photo,
        "sticker": message.sticker,
        "contact": message.contact,
        "caption": message.caption,
        "link_preview_options": message.link_preview_options,
    }
    data.update(_drop_none(optional))
    if message.entities:
        key = "entities" if message.text is not None else "caption_entities"
        data[key] = list(message.entities)
    replied = world.chats[message.chat_id].find(message.reply_to) if message.reply_to else None
    if replied is not None and not replied.deleted:
        data["reply_to_message"] = message_json(world, replace(replied, reply_to=None))
    # Message.reply_markup only ever carries inline keyboards
    if message.reply_markup and "inline_keyboard" in message.reply_markup:
        data["reply_markup"] = message.reply_markup
    return data
