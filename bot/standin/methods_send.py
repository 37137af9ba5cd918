"""Sending methods: sendMessage, sendPhoto, sendMediaGroup, copyMessage, forwardMessage."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.botapi.html import ParsedText
from bot.standin.content import render_caption, render_text
from bot.standin.errors import (
    COPY_NOT_FOUND,
    FORWARD_NOT_FOUND,
    MEDIA_COUNT,
    MESSAGE_ID_MISSING,
    NO_PHOTO,
    bad_request,
    too_many_requests,
)
from bot.standin.markup import parse_markup
from bot.standin.media import photo_sizes
from bot.standin.params import Params
from bot.standin.records import ChatRecord, StoredMessage
from bot.standin.state import World
from bot.standin.wire import bot_json, message_json, user_json

Handler = Callable[[World, Params], Awaitable[Any]]


def check_flood(world: World, chat_id: int, cost: int = 1) -> None:
    retry_after = world.flood.check(chat_id, cost)
    if retry_after is not None:
        raise too_many_requests(retry_after)


def _caption_fields(
    caption: ParsedText | None, source: str | None, mode: str | None
) -> dict[str, Any]:
    if caption is None:
        return {}
    return {
        "caption": caption.text,
        "raw": source,
        "parse_mode": mode,
        "entities": caption.entity_dicts(),
    }


def _link_preview(params: Params) -> dict[str, Any] | None:
    value = params.json("link_preview_options")
    if value is not None and not isinstance(value, dict):
        raise bad_request("can't parse link preview options JSON object")
    return value


def _message_id(params: Params, name: str = "message_id") -> int:
    message_id = params.integer(name)
    if message_id is None:
        raise bad_request(MESSAGE_ID_MISSING)
    return message_id


def _reply_to(chat: ChatRecord, params: Params) -> int | None:
    """The message replied to (``reply_parameters`` or the older ``reply_to_message_id``)."""
    options = params.json("reply_parameters")
    if options is not None and not isinstance(options, dict):
        raise bad_request("can't parse reply parameters JSON object")
    options = options or {}
    message_id = options.get("message_id", params.integer("reply_to_message_id"))
    if message_id is None:
        return None
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise bad_request("invalid reply_parameters specified")
    replied = chat.find(message_id)
    if replied is None or replied.deleted:
        if options.get("allow_sending_without_reply") or params.flag("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return message_id


async def send_message(world: World, params: Params) -> dict[str, Any]:
    chat_ref = params.chat_ref()
    source, mode = params.text("text"), params.text("parse_mode")
    parsed = render_text(source, mode)
    markup = parse_markup(params.json("reply_markup"))
    preview = _link_preview(params)
    chat = world.bot_chat(chat_ref)
    reply_to = _reply_to(chat, params)
    check_flood(world, chat.id)
    message = world.add_message(
        chat,
        from_bot=True,
        sender_id=world.bot.id,
        kind="text",
        text=parsed.text,
        raw=source,
        parse_mode=mode,
        entities=parsed.entity_dicts(),
        reply_markup=markup,
        link_preview_options=preview,
        disable_notification=params.flag("disable_notification"),
        reply_to=reply_to,
    )
    return message_json(world, message)


async def send_photo(world: World, params: Params) -> dict[str, Any]:
    chat_ref = params.chat_ref()
    photo = params.file("photo")
    if photo is None:
        raise bad_request(NO_PHOTO)
    source, mode = params.text("caption"), params.text("parse_mode")
    caption = render_caption(source, mode)
    markup = parse_markup(params.json("reply_markup"))
    chat = world.bot_chat(chat_ref)
    sizes = photo_sizes(world, photo)
    check_flood(world, chat.id)
    message = world.add_message(
        chat,
        from_bot=True,
        sender_id=world.bot.id,
        kind="photo",
        photo=sizes,
        reply_markup=markup,
        disable_notification=params.flag("disable_notification"),
        **_caption_fields(caption, source, mode),
    )
    return message_json(world, message)


async def send_media_group(world: World, params: Params) -> list[dict[str, Any]]:
    chat_ref = params.chat_ref()
    media = params.json("media")
    if not isinstance(media, list):
        raise bad_request("can't parse media JSON object")
    if not 2 <= len(media) <= 10:
        raise bad_request(MEDIA_COUNT)
    items: list[tuple[Any, ParsedText | None, str | None, str | None]] = []
    for item in media:
        if not isinstance(item, dict) or item.get("type") != "photo":
            raise bad_request("the stand-in supports only media of type photo in media groups")
        ref = params.resolve_media(item["media"]) if isinstance(item.get("media"), str) else None
        if ref is None:
            raise bad_request(NO_PHOTO)
        source, mode = item.get("caption"), item.get("parse_mode")
        items.append((ref, render_caption(source, mode), source, mode))
    chat = world.bot_chat(chat_ref)
    sized = [
        (photo_sizes(world, ref), caption, source, mode) for ref, caption, source, mode in items
    ]
    check_flood(world, chat.id, cost=len(sized))
    group_id = f"1{world.next_seq():012d}"
    sent: list[StoredMessage] = [
        world.add_message(
            chat,
            from_bot=True,
            sender_id=world.bot.id,
            kind="photo",
            photo=sizes,
            media_group_id=group_id,
            **_caption_fields(caption, source, mode),
        )
        for sizes, caption, source, mode in sized
    ]
    return [message_json(world, message) for message in sent]


def _copy_fields(original: StoredMessage) -> dict[str, Any]:
    return {
        "kind": original.kind,
        "text": original.text,
        "caption": original.caption,
        "raw": original.raw,
        "parse_mode": original.parse_mode,
        "entities": list(original.entities),
        "photo": original.photo,
        "contact": original.contact,
        "sticker": original.sticker,
    }


async def copy_message(world: World, params: Params) -> dict[str, Any]:
    chat_ref, from_ref = params.chat_ref(), params.chat_ref("from_chat_id")
    message_id = _message_id(params)
    fields: dict[str, Any] = {}
    if params.has("caption"):
        source, mode = params.text("caption"), params.text("parse_mode")
        fields = _caption_fields(render_caption(source, mode), source, mode)
    markup = parse_markup(params.json("reply_markup"))
    target = world.bot_chat(chat_ref)
    source_chat = world.bot_chat(from_ref, writing=False)
    original = world.message_in(source_chat, message_id, bad_request(COPY_NOT_FOUND, "state"))
    check_flood(world, target.id)
    copied = _copy_fields(original)
    if fields and original.text is None:
        copied.update(fields)
    copy = world.add_message(
        target, from_bot=True, sender_id=world.bot.id, reply_markup=markup, **copied
    )
    return {"message_id": copy.message_id}


async def forward_message(world: World, params: Params) -> dict[str, Any]:
    chat_ref, from_ref = params.chat_ref(), params.chat_ref("from_chat_id")
    message_id = _message_id(params)
    target = world.bot_chat(chat_ref)
    source_chat = world.bot_chat(from_ref, writing=False)
    original = world.message_in(source_chat, message_id, bad_request(FORWARD_NOT_FOUND, "state"))
    check_flood(world, target.id)
    sender = (
        bot_json(world.bot) if original.from_bot else user_json(world.users[original.sender_id])
    )
    origin = {"type": "user", "date": original.date, "sender_user": sender}
    forwarded = world.add_message(
        target,
        from_bot=True,
        sender_id=world.bot.id,
        forward_origin=origin,
        **_copy_fields(original),
    )
    return message_json(world, forwarded)


SEND_METHODS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendMediaGroup": send_media_group,
    "copyMessage": copy_message,
    "forwardMessage": forward_message,
}
