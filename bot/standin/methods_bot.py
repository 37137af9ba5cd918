"""Bot-level methods: identity, updates, webhook, commands, chats, files, actions."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from bot.standin.errors import (
    FILE_UNAVAILABLE,
    POLL_CONFLICT,
    WEBHOOK_CONFLICT,
    ApiError,
    bad_request,
)
from bot.standin.methods_send import Handler
from bot.standin.params import Params
from bot.standin.state import World
from bot.standin.wire import bot_json, chat_full_json

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]+")


async def get_me(world: World, params: Params) -> dict[str, Any]:
    return bot_json(world.bot, get_me=True, privacy=world.group_privacy)


async def get_updates(world: World, params: Params) -> list[dict[str, Any]]:
    if world.webhook is not None:
        raise ApiError(409, WEBHOOK_CONFLICT, kind="conflict")
    offset = params.integer("offset") or 0
    limit = min(100, max(1, params.integer("limit") or 100))
    timeout = max(0, params.integer("timeout") or 0)
    allowed = params.json("allowed_updates")
    if isinstance(allowed, list):
        world.allowed_updates = {str(kind) for kind in allowed} or None
    world.updates.confirm(offset)
    generation = world.begin_poll()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    world.active_polls += 1
    try:
        while True:
            if world.poll_generation != generation:
                raise ApiError(409, POLL_CONFLICT, kind="conflict")
            batch = world.updates.take(limit, world.allowed_updates)
            remaining = deadline - loop.time()
            if batch or world.closing or remaining <= 0:
                return batch
            await world.pulse.wait(remaining)
    finally:
        world.active_polls -= 1
        world.changed()


async def delete_webhook(world: World, params: Params) -> bool:
    world.webhook = None
    if params.flag("drop_pending_updates"):
        world.updates.clear()
    return True


async def set_webhook(world: World, params: Params) -> bool:
    url = params.text("url") or ""
    secret = params.text("secret_token")
    if secret is not None:
        if len(secret) > 256:
            raise bad_request("secret token is too long")
        if not _SECRET_RE.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
    if url == "":
        world.webhook = None
        return True
    schemes = ("https://", "http://") if world.local_mode else ("https://",)
    if not url.startswith(schemes):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    max_connections = params.integer("max_connections") or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    allowed = params.json("allowed_updates")
    if isinstance(allowed, list):
        world.allowed_updates = {str(kind) for kind in allowed} or None
    world.webhook = {"url": url, "secret_token": secret, "max_connections": max_connections}
    world.changed()
    if params.flag("drop_pending_updates"):
        world.updates.clear()
    return True


async def get_webhook_info(world: World, params: Params) -> dict[str, Any]:
    return {
        "url": world.webhook["url"] if world.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(world.updates),
    }


def _commands_key(params: Params) -> str:
    scope = params.json("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    return json.dumps(scope, sort_keys=True) + "|" + (params.text("language_code") or "")


async def set_my_commands(world: World, params: Params) -> bool:
    commands = params.json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    cleaned = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND_RE.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": name, "description": description})
    world.commands[_commands_key(params)] = cleaned
    return True


async def delete_my_commands(world: World, params: Params) -> bool:
    world.commands.pop(_commands_key(params), None)
    return True


async def get_my_commands(world: World, params: Params) -> list[dict[str, Any]]:
    return list(world.commands.get(_commands_key(params), []))


async def send_chat_action(world: World, params: Params) -> bool:
    chat_ref = params.chat_ref()
    if params.text("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    world.bot_chat(chat_ref)
    return True


async def get_chat(world: World, params: Params) -> dict[str, Any]:
    chat = world.bot_chat(params.chat_ref(), writing=False)
    return chat_full_json(world, chat)


async def get_file(world: World, params: Params) -> dict[str, Any]:
    record = world.files.get(params.text("file_id") or "")
    if record is None:
        raise bad_request(FILE_UNAVAILABLE)
    return {
        "file_id": record.file_id,
        "file_unique_id": record.file_unique_id,
        "file_size": len(record.content),
        "file_path": record.file_path,
    }


BOT_METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "deleteWebhook": delete_webhook,
    "setWebhook": set_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "deleteMyCommands": delete_my_commands,
    "getMyCommands": get_my_commands,
    "sendChatAction": send_chat_action,
    "getChat": get_chat,
    "getFile": get_file,
}
