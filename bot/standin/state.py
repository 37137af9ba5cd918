"""The in-memory world of the stand-in: bot, users, chats, history, updates, queries."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Iterable
from typing import Any

from bot.standin.errors import ApiError, blocked, chat_not_found
from bot.standin.limits import Clock, FloodControl
from bot.standin.records import (
    ApiCall,
    BotIdentity,
    CallbackRecord,
    ChatRecord,
    EditEvent,
    FileRecord,
    MessageVersion,
    StoredMessage,
    UserRecord,
)
from bot.standin.waiting import Pulse

#: update types Telegram leaves out when allowed_updates was never specified
NOT_DEFAULT_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    """Pending updates with increasing update_id; confirmed by getUpdates offset."""

    def __init__(self, first_id: int = 1) -> None:
        self._items: list[dict[str, Any]] = []
        self.next_id = first_id

    def __len__(self) -> int:
        return len(self._items)

    @property
    def items(self) -> list[dict[str, Any]]:
        return list(self._items)

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self.next_id, kind: payload}
        self.next_id += 1
        self._items.append(update)
        return update

    def remove(self, update_id: int) -> None:
        """A webhook answered 2xx for this update: it is delivered."""
        self._items = [u for u in self._items if u["update_id"] != update_id]

    def confirm(self, offset: int) -> None:
        if offset > 0:
            self._items = [u for u in self._items if u["update_id"] >= offset]
        elif offset < 0:
            self._items = self._items[offset:]

    def take(self, limit: int, allowed: set[str] | None) -> list[dict[str, Any]]:
        """First ``limit`` deliverable updates; undeliverable ones are dropped for good."""

        def deliverable(update: dict[str, Any]) -> bool:
            kind = next(key for key in update if key != "update_id")
            return kind in allowed if allowed else kind not in NOT_DEFAULT_UPDATES

        self._items = [u for u in self._items if deliverable(u)]
        return self._items[:limit]

    def clear(self) -> None:
        self._items.clear()


class World:
    def __init__(
        self,
        bot: BotIdentity,
        flood: FloodControl,
        *,
        clock: Clock,
        wall: Callable[[], float] = time.time,
        callback_ttl: float = 15.0,
        group_privacy: bool = True,
        local_mode: bool = False,
    ) -> None:
        self.bot = bot
        # Like a self-hosted Bot API server started with --local: webhooks may be plain http
        # on any port (the cloud API insists on https on 443, 80, 88 or 8443).
        self.local_mode = local_mode
        self.group_privacy = group_privacy
        self.flood = flood
        self.clock = clock
        self.wall = wall
        self.callback_ttl = callback_ttl
        self.users: dict[int, UserRecord] = {}
        self.chats: dict[int, ChatRecord] = {}
        self.updates = UpdateQueue()
        self.callbacks: dict[str, CallbackRecord] = {}
        self.files: dict[str, FileRecord] = {}
        self.photo_sets: dict[str, list[dict[str, Any]]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] | None = None
        self.outage = False  # every request answered 502 Bad Gateway, as when Telegram is down
        # Methods whose answers wait here once done: the chat shows the message, the bot does not
        # know it yet (a slow network back to the bot).
        self.answers_held: dict[str, asyncio.Event] = {}
        self.webhook_deliveries: list[Any] = []  # WebhookDelivery, in the order they were answered
        self.allowed_updates: set[str] | None = None
        self.calls: list[ApiCall] = []
        self.edits: list[EditEvent] = []
        self.pulse = Pulse()
        self.closing = False
        self.poll_generation = 0
        self.active_polls = 0
        self._counter = itertools.count(1)

    # -- bookkeeping -------------------------------------------------------
    def changed(self) -> None:
        self.pulse.fire()

    def now(self) -> int:
        return int(self.wall())

    def next_seq(self) -> int:
        return next(self._counter)

    def close(self) -> None:
        self.closing = True
        for held in self.answers_held.values():
            held.set()
        self.changed()

    def begin_poll(self) -> int:
        self.poll_generation += 1
        self.changed()
        return self.poll_generation

    # -- users and chats ---------------------------------------------------
    def add_user(self, user: UserRecord) -> UserRecord:
        if user.id <= 0 or user.id == self.bot.id or user.id in self.users:
            raise ValueError(f"user id {user.id} is invalid or already taken")
        self.users[user.id] = user
        self.chats[user.id] = ChatRecord(id=user.id, type="private")
        return user

    def add_group(self, chat_id: int, title: str, member_ids: Iterable[int]) -> ChatRecord:
        if chat_id >= 0 or chat_id in self.chats:
            raise ValueError(f"group id {chat_id} must be negative and unused")
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat = ChatRecord(id=chat_id, type=kind, title=title, member_ids=list(member_ids))
        self.chats[chat_id] = chat
        return chat

    def lookup_chat(self, ref: int | str) -> ChatRecord | None:
        if isinstance(ref, str):
            name = ref.removeprefix("@").lower()
            for user in self.users.values():
                if user.username and user.username.lower() == name:
                    return self.chats[user.id]
            return None
        return self.chats.get(ref)

    def bot_chat(self, ref: int | str, *, writing: bool = True) -> ChatRecord:
        """A chat the bot may talk to; else chat not found (400) or blocked (403)."""
        chat = self.lookup_chat(ref)
        if chat is None:
            raise chat_not_found()
        if chat.type == "private":
            user = self.users[chat.id]
            if not user.has_started:
                raise chat_not_found()
            if writing and user.blocked_bot:
                raise blocked()
        return chat

    def message_in(self, chat: ChatRecord, message_id: int, missing: ApiError) -> StoredMessage:
        message = chat.find(message_id)
        if message is None or message.deleted:
            raise missing
        return message

    # -- messages, updates, files -----------------------------------------
    def add_message(
        self, chat: ChatRecord, *, from_bot: bool, sender_id: int, kind: str, **fields: Any
    ) -> StoredMessage:
        message = StoredMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id,
            from_bot=from_bot,
            sender_id=sender_id,
            date=self.now(),
            kind=kind,
            **fields,
        )
        chat.next_message_id += 1
        chat.messages.append(message)
        self.changed()
        return message

    def record_edit(self, message: StoredMessage, before: MessageVersion) -> EditEvent:
        message.history.append(before)
        message.edited = True
        message.edit_date = self.now()
        event = EditEvent(
            seq=self.next_seq(),
            chat_id=message.chat_id,
            message_id=message.message_id,
            before=before,
            after=message.snapshot(),
            message=message,
        )
        self.edits.append(event)
        self.changed()
        return event

    def push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = self.updates.push(kind, payload)
        self.changed()
        return update

    def new_file(self, content: bytes, *, width: int = 0, height: int = 0) -> FileRecord:
        n = self.next_seq()
        record = FileRecord(
            file_id=f"AgACAgIAAxkBAAIstandin{n:06d}",
            file_unique_id=f"AQADstandin{n:06d}",
            file_path=f"photos/file_{n}.jpg",
            content=content,
            width=width,
            height=height,
        )
        self.files[record.file_id] = record
        return record

    def record_call(
        self,
        method: str,
        params: dict[str, Any],
        *,
        result: Any = None,
        error: ApiError | None = None,
    ) -> ApiCall:
        call = ApiCall(
            seq=self.next_seq(),
            method=method,
            params=params,
            ok=error is None,
            status=200 if error is None else error.status,
            result=result,
            description=None if error is None else error.description,
            kind=None if error is None else error.kind,
            retry_after=None if error is None else error.retry_after,
        )
        self.calls.append(call)
        self.changed()
        return call
