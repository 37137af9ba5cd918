"""A small fake Bot API and a fake shop webhook receiver, answering with Telegram's real envelopes."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from standardwebhooks import Webhook, WebhookVerificationError

from bot.delivery.webhooks import SIGNATURE_HEADER, verify

Reply = tuple[int, dict[str, Any]]
JSON_FIELDS = {"reply_markup", "media", "entities", "caption_entities", "link_preview_options"}


def error(status: int, description: str, **parameters: Any) -> Reply:
    envelope: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        envelope["parameters"] = parameters
    return status, envelope


def retry_after(seconds: int) -> Reply:
    return error(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)


BLOCKED = error(403, "Forbidden: bot was blocked by the user")
CHAT_NOT_FOUND = error(400, "Bad Request: chat not found")
SERVER_ERROR = error(500, "Internal Server Error")
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


@dataclass
class Call:
    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> int | None:
        chat = self.params.get("chat_id")
        return int(chat) if chat is not None else None

    @property
    def text(self) -> str | None:
        return self.params.get("text")


@dataclass
class Observed:
    """Shared bookkeeping: tests await conditions on it instead of sleeping."""

    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    in_flight: int = 0

    def __post_init__(self) -> None:
        self.gate.set()

    async def notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        async with asyncio.timeout(timeout), self.changed:
            await self.changed.wait_for(predicate)

    async def held(self) -> None:
        """Hold the request while the gate is closed (a slow Telegram, requests in flight)."""
        self.in_flight += 1
        await self.notify()
        try:
            await self.gate.wait()
        finally:
            self.in_flight -= 1


class FakeTelegram(Observed):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self.accepted: list[Call] = []
        self.blocked: set[int] = set()
        self.unknown: set[int] = set()
        self.messages: dict[tuple[int, int], str] = {}
        self._scripts: dict[int, deque[Reply]] = defaultdict(deque)
        self._next_id: dict[int, int] = defaultdict(lambda: 100)

    def script(self, chat_id: int, *replies: Reply) -> None:
        """The next requests for ``chat_id`` get these answers, in order; then normal service."""
        self._scripts[chat_id].extend(replies)

    def unscript(self, chat_id: int) -> None:
        """Forget the answers still scripted for ``chat_id``: normal service from now on."""
        self._scripts.pop(chat_id, None)

    def texts(self, chat_id: int) -> list[str | None]:
        return [call.text for call in self.accepted if call.chat_id == chat_id]

    def calls_to(self, chat_id: int) -> list[Call]:
        return [call for call in self.calls if call.chat_id == chat_id]

    async def handle(self, request: web.Request) -> web.Response:
        params: dict[str, Any] = {}
        for key, value in (await request.post()).items():
            params[key] = json.loads(value) if key in JSON_FIELDS else value
        call = Call(request.match_info["method"], params)
        self.calls.append(call)
        await self.held()
        status, envelope = self._answer(call)
        if envelope.get("ok"):
            self.accepted.append(call)
        await self.notify()
        return web.json_response(envelope, status=status)

    def _answer(self, call: Call) -> Reply:
        chat = call.chat_id
        if chat is None:
            return error(400, "Bad Request: chat_id is empty")
        if self._scripts.get(chat):
            return self._scripts[chat].popleft()
        if chat in self.blocked:
            return BLOCKED
        if chat in self.unknown:
            return CHAT_NOT_FOUND
        if call.method in {"sendMessage", "sendPhoto"}:
            self._next_id[chat] += 1
            message_id = self._next_id[chat]
            self.messages[chat, message_id] = call.text or ""
            return 200, {"ok": True, "result": self._message(chat, message_id)}
        if call.method == "editMessageText":
            key = (chat, int(call.params["message_id"]))
            if key not in self.messages:
                return error(400, "Bad Request: message to edit not found")
            if self.messages[key] == call.text:
                return error(400, NOT_MODIFIED)
            self.messages[key] = call.text or ""
            return 200, {"ok": True, "result": self._message(*key)}
        return error(404, "Not Found: method not found")

    def _message(self, chat: int, message_id: int) -> dict[str, Any]:
        kind = "private" if chat > 0 else "group"
        return {
            "message_id": message_id,
            "date": 1_790_000_000,
            "chat": {"id": chat, "type": kind, **({} if chat > 0 else {"title": "Managers"})},
            "text": self.messages[chat, message_id],
        }


@dataclass
class Hook:
    body: bytes
    headers: dict[str, str]
    status: int
    signed: bool


class FakeShop(Observed):
    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret
        self.hooks: list[Hook] = []
        self.statuses: deque[int] = deque()
        # Answers kept for one order's hooks (the body's "order"), so a test does not depend on
        # which of several concurrent lanes reaches the shop first.
        self.statuses_for: dict[str, deque[int]] = {}
        self.retry_after: str | None = None  # a Retry-After header on every refusal

    @property
    def delivered(self) -> list[dict[str, Any]]:
        return [json.loads(hook.body) for hook in self.hooks if 200 <= hook.status < 300]

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        signed = verify(body, self.secret, request.headers.get(SIGNATURE_HEADER))
        try:  # the reference library, as a shop would check it
            Webhook(self.secret).verify(body, dict(request.headers))
        except WebhookVerificationError:
            signed = False
        status = self._scripted(body)
        if not signed:
            status = 401
        self.hooks.append(Hook(body, dict(request.headers), status, signed))
        await self.notify()
        headers = {"Retry-After": self.retry_after} if self.retry_after and status >= 300 else {}
        return web.Response(status=status, text="ok" if status < 300 else "nope", headers=headers)

    def _scripted(self, body: bytes) -> int:
        try:
            order = json.loads(body).get("order")
        except (ValueError, AttributeError):
            order = None
        mine = self.statuses_for.get(order) if isinstance(order, str) else None
        if mine:
            return mine.popleft()
        return self.statuses.popleft() if self.statuses else 200


@asynccontextmanager
async def serve(telegram: FakeTelegram, shop: FakeShop) -> AsyncIterator[str]:
    """Serve both on 127.0.0.1, a free port; yield the base URL."""
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", telegram.handle)
    app.router.add_post("/shop/hook", shop.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        telegram.gate.set()
        shop.gate.set()
        await runner.cleanup()
