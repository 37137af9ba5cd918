"""TelegramStandin: the test-facing facade over the world and the HTTP server."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager

from aiohttp import web

from bot.standin.actors import FakeUser
from bot.standin.errors import VIOLATION_KINDS, StandinUsageError
from bot.standin.limits import Clock, FloodConfig, FloodControl
from bot.standin.records import (
    ApiCall,
    BotIdentity,
    ChatRecord,
    EditEvent,
    StoredMessage,
    UserRecord,
)
from bot.standin.server import create_app
from bot.standin.state import World
from bot.standin.waiting import wait_until
from bot.standin.webhook_push import WebhookDelivery, WebhookPusher

MessageMatch = Callable[[StoredMessage], bool] | str | None


def _matcher(predicate: MessageMatch) -> Callable[[StoredMessage], bool]:
    if predicate is None:
        return lambda message: True
    if isinstance(predicate, str):
        needle = predicate
        return lambda message: needle in message.visible
    return predicate


def _chats_sent_to(call: ApiCall) -> set[int]:
    """The chats a successful send* call put a message into (from the messages it returned)."""
    if not call.ok or not call.method.startswith("send"):
        return set()
    results = call.result if isinstance(call.result, list) else [call.result]
    return {
        result["chat"]["id"]
        for result in results
        if isinstance(result, dict) and isinstance(result.get("chat"), dict)
    }


class FakeGroup:
    def __init__(self, standin: TelegramStandin, chat: ChatRecord) -> None:
        self._standin = standin
        self.chat = chat

    @property
    def id(self) -> int:
        return self.chat.id

    @property
    def messages(self) -> list[StoredMessage]:
        return self.chat.messages


class TelegramStandin:
    """A strict local Telegram Bot API for one bot, driven from tests."""

    def __init__(
        self,
        token: str,
        bot_username: str = "vykup_test_bot",
        clock: Clock | None = None,
        limits: FloodConfig | bool | None = None,
        *,
        bot_first_name: str = "Vykup Test Bot",
        callback_ttl: float = 15.0,
        group_privacy: bool = True,
        local_mode: bool = False,
        webhook_retry_delay: float = 0.2,
        flood_clock: Clock | None = None,
    ) -> None:
        """``clock``: monotonic seconds (default: real) for callback expiry and, unless
        ``flood_clock`` is given, flood control (a ``PacingClock``'s ``now`` for in-process tests)."""
        match = re.fullmatch(r"(\d+):[\w-]+", token)
        if match is None:
            raise ValueError("token must look like a Telegram token: '<digits>:<secret>'")
        config = limits if isinstance(limits, FloodConfig) else FloodConfig()
        if limits is False:
            config.enabled = False
        self.flood = FloodControl(config, flood_clock or clock)
        bot = BotIdentity(int(match.group(1)), token, bot_username, bot_first_name)
        self._world = World(
            bot,
            self.flood,
            clock=clock or time.monotonic,
            callback_ttl=callback_ttl,
            group_privacy=group_privacy,
            local_mode=local_mode,
        )
        self._webhook_retry_delay = webhook_retry_delay
        self._users: dict[int, FakeUser] = {}
        self._seen_messages: set[tuple[int, int]] = set()
        self._seen_edits: set[int] = set()
        self._seen_calls: set[int] = set()
        self.base_url: str | None = None

    @property
    def world(self) -> World:
        return self._world

    @property
    def token(self) -> str:
        return self._world.bot.token

    @property
    def bot_id(self) -> int:
        return self._world.bot.id

    @asynccontextmanager
    async def serve(self, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
        """Run the HTTP server; yields its base URL for ``TelegramAPIServer.from_base``."""
        if self.base_url is not None:
            raise StandinUsageError("the stand-in is already serving")
        self._world.closing = False
        # handler_cancellation: a client that hangs up (stop_polling) ends its long poll
        runner = web.AppRunner(
            create_app(self), access_log=None, shutdown_timeout=1.0, handler_cancellation=True
        )
        await runner.setup()
        pusher = WebhookPusher(self._world, retry_delay=self._webhook_retry_delay)
        pushing = asyncio.create_task(pusher.run(), name="stand-in webhook pusher")
        try:
            site = web.TCPSite(runner, host, port)
            await site.start()
            bound_host, bound_port = runner.addresses[0][:2]
            self.base_url = f"http://{bound_host}:{bound_port}"
            yield self.base_url
        finally:
            self.base_url = None
            self._world.close()  # wakes long polls and the pusher so shutdown is immediate
            await asyncio.wait_for(pushing, timeout=5)
            await runner.cleanup()

    # -- population --------------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        language_code: str | None = "uk",
        phone: str | None = None,
        *,
        last_name: str | None = None,
    ) -> FakeUser:
        record = UserRecord(user_id, first_name, username, language_code, phone, last_name)
        self._world.add_user(record)
        self._users[user_id] = FakeUser(self._world, record)
        return self._users[user_id]

    def add_group(self, chat_id: int, title: str, members: Iterable[FakeUser | int]) -> FakeGroup:
        ids = [m.id if isinstance(m, FakeUser) else m for m in members]
        unknown = [i for i in ids if i not in self._world.users]
        if unknown:
            raise StandinUsageError(f"unknown group members: {unknown}")
        return FakeGroup(self, self._world.add_group(chat_id, title, ids))

    def user(self, user_id: int) -> FakeUser:
        if user_id not in self._users:
            raise StandinUsageError(f"no user {user_id}: add_user() it first")
        return self._users[user_id]

    def chat(self, chat_id: int) -> ChatRecord:
        chat = self._world.chats.get(chat_id)
        if chat is None:
            raise StandinUsageError(f"no chat {chat_id}: add_user() or add_group() it first")
        return chat

    # -- observation -------------------------------------------------------------
    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        return self.chat(chat_id).bot_messages

    def sent_count(self, chat_id: int) -> int:
        return len(self.bot_messages(chat_id))

    def file_content(self, file_id: str) -> bytes:
        """The bytes behind a file_id, as uploaded (e.g. ``message.photo[-1]["file_id"]``)."""
        record = self._world.files.get(file_id)
        if record is None:
            raise StandinUsageError(f"no file {file_id!r}")
        return record.content

    @property
    def calls(self) -> list[ApiCall]:
        return self._world.calls

    @property
    def violations(self) -> list[ApiCall]:
        """Requests refused because the bot broke a rule (limits, HTML, lengths...)."""
        return [c for c in self._world.calls if c.kind in VIOLATION_KINDS]

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every post of an update to the bot's webhook, with the status the bot answered."""
        return list(self._world.webhook_deliveries)

    @property
    def pending_updates(self) -> int:
        """Updates not yet taken by getUpdates or accepted by the webhook."""
        return len(self._world.updates)

    async def wait_for_delivered_updates(self, timeout: float = 5.0) -> None:
        """Until every update was delivered (confirmed by getUpdates or answered 2xx)."""
        await wait_until(
            self._world.pulse,
            lambda: True if not self._world.updates.items else None,
            timeout,
            lambda: f"{len(self._world.updates)} updates still pending; {self._errors()}",
        )

    @property
    def count_429(self) -> int:
        return sum(1 for c in self._world.calls if c.status == 429)

    def assert_no_violations(self) -> None:
        if self.violations:
            lines = [f"{c.method}: {c.description} params={c.params}" for c in self.violations]
            raise AssertionError("the bot broke Telegram rules:\n" + "\n".join(lines))

    async def wait_for_message(
        self, chat_id: int, predicate: MessageMatch = None, timeout: float = 5.0
    ) -> StoredMessage:
        """The first bot message in the chat not returned before that matches."""
        matches = _matcher(predicate)

        def check() -> StoredMessage | None:
            for message in self.chat(chat_id).bot_messages:
                key = (chat_id, message.message_id)
                if key not in self._seen_messages and matches(message):
                    self._seen_messages.add(key)
                    return message
            return None

        return await wait_until(self._world.pulse, check, timeout, lambda: self._explain(chat_id))

    async def wait_for_messages_in(self, chat_ids: Iterable[int], timeout: float = 5.0) -> None:
        """Until every chat of ``chat_ids`` has a bot message; cheap for thousands of chats."""
        waiting = {chat_id for chat_id in chat_ids if not self.chat(chat_id).bot_messages}
        calls = self._world.calls
        read = len(calls)

        def check() -> bool | None:
            nonlocal read
            for call in calls[read:]:
                waiting.difference_update(_chats_sent_to(call))
            read = len(calls)
            return True if not waiting else None

        await wait_until(
            self._world.pulse,
            check,
            timeout,
            lambda: (
                f"{len(waiting)} chats got no message, e.g. {sorted(waiting)[:5]}; {self._errors()}"
            ),
        )

    async def wait_for_edit(
        self,
        chat_id: int,
        message_id: int | None = None,
        predicate: Callable[[EditEvent], bool] | str | None = None,
        timeout: float = 5.0,
    ) -> EditEvent:
        """The first edit in the chat not returned before (``str``: new text contains)."""

        def matches(event: EditEvent) -> bool:
            if isinstance(predicate, str):
                return predicate in (event.after.text or event.after.caption or "")
            return predicate is None or predicate(event)

        def check() -> EditEvent | None:
            for event in self._world.edits:
                if event.seq in self._seen_edits or event.chat_id != chat_id:
                    continue
                if message_id in (None, event.message_id) and matches(event):
                    self._seen_edits.add(event.seq)
                    return event
            return None

        return await wait_until(self._world.pulse, check, timeout, lambda: self._explain(chat_id))

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 5.0,
    ) -> ApiCall:
        """The first logged API call of ``method`` not returned before."""

        def check() -> ApiCall | None:
            for call in self._world.calls:
                if call.seq in self._seen_calls or call.method.lower() != method.lower():
                    continue
                if predicate is None or predicate(call):
                    self._seen_calls.add(call.seq)
                    return call
            return None

        return await wait_until(
            self._world.pulse, check, timeout, lambda: f"no {method} call; {self._errors()}"
        )

    @property
    def is_polling(self) -> bool:
        """True while a getUpdates long poll is waiting on the server."""
        return self._world.active_polls > 0

    async def wait_for_polling(self, timeout: float = 5.0, *, active: bool = True) -> None:
        """Until a long poll is pending (the bot listens), or none is (``active=False``)."""
        await wait_until(
            self._world.pulse,
            lambda: True if self.is_polling == active else None,
            timeout,
            lambda: f"is_polling never became {active}; {self._errors()}",
        )

    def _errors(self) -> str:
        failed = [f"{c.method}: {c.description}" for c in self._world.calls if not c.ok][-5:]
        return f"recent refused calls: {failed}"

    def _explain(self, chat_id: int) -> str:
        chat = self._world.chats.get(chat_id)
        texts = [m.visible[:80] for m in chat.bot_messages[-5:]] if chat else "no such chat"
        return f"chat {chat_id}; last bot messages: {texts}; {self._errors()}"

    # -- flood controls ------------------------------------------------------------
    def set_limits_enabled(self, enabled: bool) -> None:
        self.flood.enabled = enabled

    def force_storm(self, calls: int, retry_after: int = 1) -> None:
        self.flood.force_storm(calls, retry_after)

    def hold_answers(self, method: str) -> None:
        """From now on ``method`` is carried out at once (people see its message) but its
        answer to the bot waits until ``release_answers``: a slow way back to the bot."""
        self._world.answers_held.setdefault(method, asyncio.Event())

    def release_answers(self, method: str) -> None:
        held = self._world.answers_held.pop(method, None)
        if held is not None:
            held.set()

    def set_outage(self, down: bool) -> None:
        """Answer every request with the 502 page of Telegram's front (down) or serve again."""
        self._world.outage = down
        self._world.changed()
