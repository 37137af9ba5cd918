"""Fake people: what a Telegram user can do, turned into real updates for getUpdates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bot.standin.errors import StandinUsageError
from bot.standin.media import TINY_PNG, new_photo_set
from bot.standin.records import (
    CallbackAnswer,
    CallbackRecord,
    ChatRecord,
    StoredMessage,
    UserRecord,
)
from bot.standin.state import World
from bot.standin.waiting import wait_until
from bot.standin.wire import bot_json, chat_json, message_json, user_json


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


class MessageLike(Protocol):
    """Anything with ``message_id`` and ``chat.id`` — e.g. an aiogram ``Message``."""

    @property
    def message_id(self) -> int: ...

    @property
    def chat(self) -> _HasId: ...


class CallbackHandle:
    """A pressed button; ``await handle.answer()`` gives the bot's answerCallbackQuery."""

    def __init__(self, world: World, record: CallbackRecord) -> None:
        self._world = world
        self.record = record

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def answered(self) -> bool:
        return self.record.answered

    async def answer(self, timeout: float = 5.0) -> CallbackAnswer:
        record = self.record
        return await wait_until(
            self._world.pulse,
            lambda: record.answer,
            timeout,
            lambda: f"callback query {record.id} (data={record.data!r}) was never answered",
        )


class FakeUser:
    def __init__(self, world: World, record: UserRecord) -> None:
        self._world = world
        self.record = record

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, first_name={self.record.first_name!r})"

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def chat(self) -> ChatRecord:
        return self._world.chats[self.id]

    @property
    def messages(self) -> list[StoredMessage]:
        return self.chat.messages

    # -- sending ------------------------------------------------------------
    def _target(self, chat_id: int | None, text: str | None) -> ChatRecord:
        world = self._world
        if chat_id is None or chat_id == self.id:
            starting = text is not None and (text == "/start" or text.startswith("/start "))
            if self.record.blocked_bot:
                if not starting:
                    raise StandinUsageError(
                        f"{self!r} blocked the bot; only /start (Restart) or unblock_bot() "
                        "reopens the chat"
                    )
                self.unblock_bot()
            if not self.record.has_started:
                if not starting:
                    raise StandinUsageError(
                        f"{self!r} has not started the bot (a client shows only the Start "
                        "button); send_command('/start') first"
                    )
                self.record.has_started = True
            return self.chat
        chat = world.chats.get(chat_id)
        if chat is None or self.id not in chat.member_ids:
            raise StandinUsageError(f"{self!r} is not a member of chat {chat_id}")
        return chat

    def _send(self, chat_id: int | None, kind: str, **fields: Any) -> StoredMessage:
        world = self._world
        chat = self._target(chat_id, fields.get("text"))
        message = world.add_message(chat, from_bot=False, sender_id=self.id, kind=kind, **fields)
        message.reached_bot = self._reaches_bot(chat, message)
        if message.reached_bot:
            world.push_update("message", message_json(world, message))
        return message

    def _reaches_bot(self, chat: ChatRecord, message: StoredMessage) -> bool:
        """With privacy mode on, a bot sees only commands, mentions and replies to its own
        messages in groups."""
        world = self._world
        if chat.type == "private" or not world.group_privacy:
            return True
        replied = chat.find(message.reply_to) if message.reply_to is not None else None
        if replied is not None and replied.from_bot:
            return True
        text = message.visible
        return text.startswith("/") or f"@{world.bot.username}".lower() in text.lower()

    def send_text(
        self,
        text: str,
        chat_id: int | None = None,
        reply_to: StoredMessage | int | None = None,
    ) -> StoredMessage:
        """Send text; ``reply_to`` makes it a reply to that message of the same chat."""
        if not text:
            raise StandinUsageError("Telegram clients do not send empty messages")
        if reply_to is None:
            return self._send(chat_id, "text", text=text)
        replied_id = reply_to if isinstance(reply_to, int) else reply_to.message_id
        chat = self._world.chats.get(self.id if chat_id is None else chat_id)
        replied = chat.find(replied_id) if chat is not None else None
        if replied is None or replied.deleted:
            raise StandinUsageError(f"no message {replied_id} to reply to in chat {chat_id}")
        return self._send(chat_id, "text", text=text, reply_to=replied_id)

    def send_command(
        self, command: str, payload: str | None = None, chat_id: int | None = None
    ) -> StoredMessage:
        if not command.startswith("/"):
            command = "/" + command
        text = f"{command} {payload}" if payload else command
        entity = {
            "type": "bot_command",
            "offset": 0,
            "length": len(command.encode("utf-16-le")) // 2,
        }
        return self._send(chat_id, "text", text=text, entities=[entity])

    def share_contact(
        self,
        phone: str | None = None,
        user_id: int | None = None,
        first_name: str | None = None,
    ) -> StoredMessage:
        """Share a contact card: one's own by default, or forge someone else's (user_id)."""
        world = self._world
        owner = self.record if user_id is None else world.users.get(user_id)
        phone = phone or (owner.phone if owner else None)
        if not phone:
            raise StandinUsageError(f"no phone number to share for user {user_id or self.id}")
        contact: dict[str, Any] = {
            "phone_number": phone,
            "first_name": first_name or (owner.first_name if owner else "Contact"),
            "user_id": self.id if user_id is None else user_id,
        }
        return self._send(None, "contact", contact=contact)

    def send_photo(
        self, caption: str | None = None, content: bytes = TINY_PNG, chat_id: int | None = None
    ) -> StoredMessage:
        sizes = new_photo_set(self._world, content)
        return self._send(chat_id, "photo", photo=sizes, caption=caption)

    def send_album(
        self,
        photos: int | Sequence[bytes],
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> list[StoredMessage]:
        """Photos sent together: as Telegram does, one message each, sharing a media_group_id,
        the caption on the first. ``photos``: the pictures, or how many tiny ones."""
        contents = [TINY_PNG] * photos if isinstance(photos, int) else list(photos)
        if not 2 <= len(contents) <= 10:
            raise StandinUsageError("an album has 2 to 10 photos")
        world = self._world
        group = str(13_000_000_000_000_000 + world.next_seq())
        return [
            self._send(
                chat_id,
                "photo",
                photo=new_photo_set(world, content),
                media_group_id=group,
                caption=caption if index == 0 else None,
            )
            for index, content in enumerate(contents)
        ]

    def send_sticker(self, emoji: str = "👍", chat_id: int | None = None) -> StoredMessage:
        n = self._world.next_seq()
        sticker = {
            "file_id": f"CAACAgIAAxkBAAIstandin{n:06d}",
            "file_unique_id": f"AgADstandin{n:06d}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._send(chat_id, "sticker", sticker=sticker)

    def tap_keyboard(self, button_text: str) -> StoredMessage:
        """Press a button of the reply keyboard currently shown in the private chat."""
        for message in reversed(self.chat.bot_messages):
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                for button in message.keyboard_buttons:
                    if button["text"] == button_text:
                        if button.get("request_contact"):
                            return self.share_contact()
                        return self.send_text(button_text)
                shown = [b["text"] for b in message.keyboard_buttons]
                raise StandinUsageError(f"no reply button {button_text!r}; shown: {shown}")
            if markup.get("remove_keyboard"):
                break
        raise StandinUsageError(f"no reply keyboard is shown to {self!r}")

    # -- buttons --------------------------------------------------------------
    def press(
        self,
        message: StoredMessage | MessageLike | int,
        button_text: str | None = None,
        callback_data: str | None = None,
    ) -> CallbackHandle:
        """Press an inline button that really is on the message (as it is now)."""
        if button_text is None and callback_data is None:
            raise StandinUsageError("press() needs button_text or callback_data")
        if isinstance(message, StoredMessage):
            chat_id, message_id = message.chat_id, message.message_id
        elif isinstance(message, int):
            chat_id, message_id = self.id, message
        else:
            chat_id, message_id = message.chat.id, message.message_id
        chat = self._world.chats.get(chat_id)
        if chat is None or (chat_id != self.id and self.id not in chat.member_ids):
            raise StandinUsageError(f"{self!r} cannot see chat {chat_id}")
        live = chat.find(message_id)
        if live is None or live.deleted or not live.from_bot:
            raise StandinUsageError(f"no bot message {message_id} in chat {chat_id}")
        for button in live.inline_buttons:
            if button_text is not None and button["text"] != button_text:
                continue
            if callback_data is not None and button.get("callback_data") != callback_data:
                continue
            if "callback_data" not in button:
                raise StandinUsageError(f"button {button['text']!r} sends no callback query")
            return self._callback(chat, live, button["callback_data"])
        shown = [(b["text"], b.get("callback_data")) for b in live.inline_buttons]
        raise StandinUsageError(
            f"no button text={button_text!r} data={callback_data!r} on message {message_id}; "
            f"buttons now: {shown}"
        )

    def press_forged(
        self, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> CallbackHandle:
        """Send arbitrary callback data, as a modified client could."""
        chat = self._world.chats[self.id if chat_id is None else chat_id]
        live = chat.find(message_id)
        return self._callback(chat, live if live and not live.deleted else None, callback_data)

    def _callback(
        self, chat: ChatRecord, message: StoredMessage | None, data: str
    ) -> CallbackHandle:
        world = self._world
        query_id = f"{self.id}{world.next_seq():08d}"
        record = CallbackRecord(
            id=query_id,
            user_id=self.id,
            chat_id=chat.id,
            message_id=message.message_id if message else None,
            data=data,
            created_at=world.clock(),
        )
        world.callbacks[query_id] = record
        payload: dict[str, Any] = {
            "id": query_id,
            "from": user_json(self.record),
            "chat_instance": str(abs(chat.id) * 7919 + world.bot.id),
            "data": data,
        }
        if message is not None:
            payload["message"] = message_json(world, message)
        world.push_update("callback_query", payload)
        return CallbackHandle(self._world, record)

    # -- relationship with the bot -----------------------------------------------
    def block_bot(self) -> None:
        self._set_blocked(True)

    def unblock_bot(self) -> None:
        self._set_blocked(False)

    def _set_blocked(self, value: bool) -> None:
        world = self._world
        if self.record.blocked_bot == value:
            return
        self.record.blocked_bot = value
        if not self.record.has_started:
            return
        member = {"status": "member", "user": bot_json(world.bot)}
        kicked = {"status": "kicked", "user": bot_json(world.bot), "until_date": 0}
        old, new = (member, kicked) if value else (kicked, member)
        payload = {
            "chat": chat_json(world, self.chat),
            "from": user_json(self.record),
            "date": world.now(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        world.push_update("my_chat_member", payload)
