"""Plain records of the stand-in's world: bot, users, chats, messages, queries, files."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BotIdentity:
    id: int
    token: str
    username: str
    first_name: str


@dataclass
class UserRecord:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "uk"
    phone: str | None = None
    last_name: str | None = None
    has_started: bool = False
    blocked_bot: bool = False


@dataclass(frozen=True)
class MessageVersion:
    """What a message looked like at one moment (kept in ``StoredMessage.history``)."""

    text: str | None
    caption: str | None
    raw: str | None
    parse_mode: str | None
    entities: tuple[dict[str, Any], ...]
    reply_markup: dict[str, Any] | None


@dataclass
class StoredMessage:
    chat_id: int
    message_id: int
    from_bot: bool
    sender_id: int
    date: int
    kind: str  # text | photo | contact | sticker
    text: str | None = None  # visible text (entities stripped)
    caption: str | None = None  # visible caption
    raw: str | None = None  # text or caption exactly as the bot sent it
    parse_mode: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None
    contact: dict[str, Any] | None = None
    sticker: dict[str, Any] | None = None
    media_group_id: str | None = None
    forward_origin: dict[str, Any] | None = None
    reply_to: int | None = None  # the message (same chat) this one replies to
    reached_bot: bool = True  # False: a group message privacy mode kept from the bot
    link_preview_options: dict[str, Any] | None = None
    disable_notification: bool = False
    edited: bool = False
    edit_date: int | None = None
    deleted: bool = False
    history: list[MessageVersion] = field(default_factory=list)

    @property
    def visible(self) -> str:
        """Text or caption as the user sees it ("" for stickers, contacts...)."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def inline_buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    @property
    def keyboard_buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [button for row in rows for button in row]

    def snapshot(self) -> MessageVersion:
        return MessageVersion(
            text=self.text,
            caption=self.caption,
            raw=self.raw,
            parse_mode=self.parse_mode,
            entities=tuple(self.entities),
            reply_markup=self.reply_markup,
        )


@dataclass(frozen=True)
class EditEvent:
    seq: int
    chat_id: int
    message_id: int
    before: MessageVersion
    after: MessageVersion
    message: StoredMessage


@dataclass
class ChatRecord:
    id: int
    type: str  # private | group | supergroup
    title: str | None = None
    member_ids: list[int] = field(default_factory=list)
    messages: list[StoredMessage] = field(default_factory=list)
    next_message_id: int = 1

    def find(self, message_id: int) -> StoredMessage | None:
        for message in self.messages:
            if message.message_id == message_id:
                return message
        return None

    @property
    def bot_messages(self) -> list[StoredMessage]:
        return [m for m in self.messages if m.from_bot]


@dataclass(frozen=True)
class CallbackAnswer:
    text: str | None
    show_alert: bool
    url: str | None = None


@dataclass
class CallbackRecord:
    id: str
    user_id: int
    chat_id: int | None
    message_id: int | None
    data: str
    created_at: float
    answer: CallbackAnswer | None = None
    answered_event: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass
class FileRecord:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    width: int = 0
    height: int = 0

    def photo_size(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width,
            "height": self.height,
            "file_size": len(self.content),
        }


@dataclass
class ApiCall:
    """One request the bot made, with what the stand-in answered."""

    seq: int
    method: str
    params: dict[str, Any]
    ok: bool
    status: int
    result: Any = None
    description: str | None = None
    kind: str | None = None  # error kind, see errors.ErrorKind
    retry_after: int | None = None
