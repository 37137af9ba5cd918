"""A strict local fake of the TurboSMS HTTP API: ``message/send.json``, ``message/status.json``,
``user/balance.json`` and each module's ``ping``.

Built from ``shared/refdata/sms/turbosms-http-api-facts.json`` (auth options, the envelope, HTTP
200 for every valid request, the response codes, the send/status/balance shapes, ``sequence_id``,
hybrid sending). Where the facts are silent the fake chooses, and says so where it does: an
unknown method is an HTTP 404; a request with neither an ``sms`` nor a ``viber`` block is 300
INVALID_REQUEST; a ttl below 1 is 409; a send where no recipient is accepted answers the first
recipient's code at the top; a status item already reported carries 0 OK. The delivery status
texts are placeholders (:data:`DELIVERED`, :data:`NOT_DELIVERED`): no source shows the real ones.

Public API::

    fake = FakeTurboSms()                       # token, senders, balance, prices: fields
    async with serve(fake) as api_url:          # http://127.0.0.1:<port>
        gateway = TurboSmsGateway(fake.token, fake.sms_sender, fake.viber_sender, api_url=api_url)
        fake.without_viber("380501234567")      # hybrid sends go by SMS, Viber-only stays undelivered
        fake.stop_list("380671234567")          # 404 NOT_ALLOWED_NUMBER_STOPLIST for the phone
        result = await gateway.send(http, message)
        fake.mark_sent(id); fake.deliver(id); fake.fail(id); fake.click(id)
        fake.reject_viber(id, "blocked")        # Viber's rejected_status
        fake.fail_next(500)                     # HTTP failures before the API (429 + Retry-After)
        fake.answer_next(999)                   # an envelope with that code instead of working
        fake.block_user()                       # 106 REQUIRED_ACTIVE_USER from now on
    fake.messages  # id → SentMessage (phone, channel, text, sender, parts, cost, status …)
    fake.calls     # every request: method, path, how the token came, the body
    fake.balance   # goes down by sms_price per SMS part, viber_price per Viber message
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiohttp import web

from bot.domain.sms_parts import sms_parts

DEFAULT_REFDATA = Path(__file__).resolve().parents[4] / "shared" / "refdata"
FACTS = "turbosms-http-api-facts.json"
DELIVERED = "Delivered"  # placeholder: the real texts are unknown (facts: delivery_status_values)
NOT_DELIVERED = "Undelivered"  # placeholder, likewise
MAX_CAPTION = 30
SMS_FIELDS = frozenset({"sender", "text", "is_flash"})
VIBER_FIELDS = frozenset(
    {"sender", "text", "ttl", "image_url", "caption", "action", "count_clicks", "is_transactional"}
)


def refdata_dir() -> Path:
    override = os.environ.get("VYKUP_REFDATA_DIR")
    folder = (Path(override) if override else DEFAULT_REFDATA) / "sms"
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"sms reference data not found at {folder}")
        pytest.skip(f"sms reference data not found at {folder}")
    return folder


def load_facts() -> Any:
    return json.loads((refdata_dir() / FACTS).read_text(encoding="utf-8"))


def status_names() -> dict[int, str]:
    """The facts' code → status name, e.g. 105 → ``REQUIRED_AUTH``."""
    return {row["code"]: row["status"] for row in load_facts()["response_codes"]}


class ApiError(Exception):
    """An envelope with an error code (HTTP 200, as the API answers every valid request)."""

    def __init__(self, code: int, result: Any = None) -> None:
        super().__init__(code)
        self.code = code
        self.result = result


@dataclass
class SentMessage:
    message_id: str
    phone: str
    channel: str  # "viber" or "sms": what carries it (a hybrid send to a phone without Viber: sms)
    sender: str
    text: str
    block: dict[str, Any]  # the request's block for that channel, as it came
    hybrid: bool
    parts: int
    cost: Decimal
    code: int = 800  # 800 queued, 801 handed to the network
    status: str | None = None
    rejected_status: str | None = None
    click_time: str | None = None
    sent: str = field(default_factory=lambda: now_text())
    updated: str = field(default_factory=lambda: now_text())


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    auth: str | None  # "bearer", "basic", "get", "post" or None
    body: Any


@dataclass
class FakeTurboSms:
    """The provider with one account. Public state is readable; change it through the methods."""

    token: str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
    sms_sender: str = "Vykup"
    viber_sender: str = "Vykup Shop"
    balance: Decimal = Decimal("100.00")
    sms_price: Decimal = Decimal("0.80")  # per part
    viber_price: Decimal = Decimal("0.70")
    countries: tuple[str, ...] = ("380",)  # prefixes enabled for the account
    user_blocked: bool = False
    messages: dict[str, SentMessage] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    ignored_fields: list[str] = field(default_factory=list)
    no_viber: set[str] = field(default_factory=set)
    stopped: set[str] = field(default_factory=set)
    _failures: list[tuple[int, str | None]] = field(default_factory=list)
    _codes: list[int] = field(default_factory=list)
    _sequences: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=status_names, init=False)

    # -- what a test does -----------------------------------------------------------------------

    def without_viber(self, phone: str) -> None:
        """The phone (digits) has no Viber: a hybrid send goes by SMS instead."""
        self.no_viber.add(phone)

    def stop_list(self, phone: str) -> None:
        self.stopped.add(phone)

    def mark_sent(self, message_id: str) -> None:
        self._message(message_id).code = 801

    def deliver(self, message_id: str, status: str = DELIVERED) -> None:
        self._report(message_id, status)

    def fail(self, message_id: str, status: str = NOT_DELIVERED) -> None:
        self._report(message_id, status)

    def click(self, message_id: str) -> None:
        """The customer pressed the Viber button."""
        message = self._message(message_id)
        message.click_time = message.updated = now_text()

    def reject_viber(self, message_id: str, rejected_status: str) -> None:
        message = self._message(message_id)
        message.rejected_status = rejected_status
        message.updated = now_text()

    def fail_next(self, status: int, *, retry_after: str | None = None, times: int = 1) -> None:
        """The next ``times`` requests get HTTP ``status`` from in front of the API."""
        self._failures.extend([(status, retry_after)] * times)

    def answer_next(self, code: int, *, times: int = 1) -> None:
        """The next ``times`` authenticated requests are answered with ``code`` and do nothing."""
        self._codes.extend([code] * times)

    def block_user(self) -> None:
        self.user_blocked = True

    def sent_to(self, phone: str) -> list[SentMessage]:
        return [m for m in self.messages.values() if m.phone == phone]

    # -- the HTTP side --------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        token, auth, body, body_error = self._read(request, raw)
        self.calls.append(Call(request.method, request.path, auth, body))
        if self._failures:
            status, retry_after = self._failures.pop(0)
            headers = {"Retry-After": retry_after} if retry_after else None
            return web.Response(status=status, text="Service Unavailable", headers=headers)
        module, _, method = request.path.strip("/").partition("/")
        method = method.removesuffix(".json")
        route = {
            ("message", "send"): self._send,
            ("message", "status"): self._status,
            ("user", "balance"): self._balance,
        }.get((module, method))
        if route is None and not (method == "ping" and module in ("message", "user")):
            return web.Response(status=404, text="Not Found")
        try:
            if not token:
                raise ApiError(103)
            if token != self.token:
                raise ApiError(105)
            if self.user_blocked:
                raise ApiError(106)
            if self._codes:
                raise ApiError(self._codes.pop(0))
            if body_error is not None:
                raise ApiError(body_error)
            if route is None:
                return self._envelope(1, None)
            code, result = route(body)
            return self._envelope(code, result)
        except ApiError as error:
            return self._envelope(error.code, error.result)

    def _read(
        self, request: web.Request, raw: bytes
    ) -> tuple[str | None, str | None, Any, int | None]:
        """The token, how it came, the data and a body error code: the facts' four ways of
        passing the token and three of passing data (one way per request)."""
        header = request.headers.get("Authorization", "")
        token: str | None = None
        auth: str | None = None
        scheme, _, value = header.partition(" ")
        if scheme in ("Bearer", "Basic") and value:
            token, auth = value.strip(), scheme.lower()
        query = dict(request.query)
        if token is None and "token" in query:
            token, auth = query["token"], "get"
        query.pop("token", None)
        content_type = request.content_type
        body: Any = None
        error: int | None = None
        if content_type == "application/x-www-form-urlencoded":
            form = dict(parse_qsl(raw.decode("utf-8", "replace")))
            if token is None and "token" in form:
                token, auth = form["token"], "post"
            form.pop("token", None)
            body = form
        elif raw:
            try:
                body = json.loads(raw) if content_type == "application/json" else None
            except ValueError:
                error = 502
            if body is None and error is None:
                error = 502  # a body in no form the API reads
        if query and body:
            error = 300  # data in two ways at once
        elif query and not body:
            body = query
        return token, auth, body, error

    def _envelope(self, code: int, result: Any) -> web.Response:
        status = self.names.get(code, "UNKNOWN")
        payload = {"response_code": code, "response_status": status, "response_result": result}
        return web.json_response(payload, dumps=lambda v: json.dumps(v, default=float))

    # -- message/send.json ----------------------------------------------------------------------

    def _send(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or not body:
            raise ApiError(104)
        sequence = body.get("sequence_id")
        if sequence is not None and str(sequence) in self._sequences:
            kept = self._sequences[str(sequence)]  # executed once: the same answer again
            return kept["code"], kept["result"]
        recipients = body.get("recipients")
        if recipients in (None, [], ""):
            raise ApiError(202)
        if not isinstance(recipients, list):
            raise ApiError(300)
        sms = self._block(body, "sms", SMS_FIELDS, self.sms_sender)
        viber = self._block(body, "viber", VIBER_FIELDS, self.viber_sender)
        if sms is None and viber is None:
            raise ApiError(300)
        if viber is not None:
            self._check_viber(viber)
        lines: list[dict[str, Any]] = []
        planned: list[SentMessage] = []
        seen: set[str] = set()
        for recipient in recipients:
            phone = str(recipient)
            refusal = self._refusal(recipient, seen)
            seen.add(phone)
            if refusal is not None:
                lines.append(self._line(phone, refusal, None))
                continue
            message = self._plan(phone, sms, viber)
            planned.append(message)
            lines.append(self._line(phone, 800, message.message_id))
        if sum((m.cost for m in planned), Decimal(0)) > self.balance:
            raise ApiError(203)
        for message in planned:
            self.balance -= message.cost
            self.messages[message.message_id] = message
        if planned:
            code = 800 if len(planned) == len(lines) else 802
        else:
            code = lines[0]["response_code"]
        if sequence is not None:
            self._sequences[str(sequence)] = {"code": code, "result": lines}
        return code, lines

    def _block(
        self, body: Mapping[str, Any], name: str, known: frozenset[str], sender: str
    ) -> dict[str, Any] | None:
        block = body.get(name)
        if block is None:
            return None
        if not isinstance(block, dict):
            raise ApiError(300)
        self.ignored_fields.extend(f"{name}.{key}" for key in block if key not in known)
        if not block.get("sender"):
            raise ApiError(200)
        if not isinstance(block["sender"], str):
            raise ApiError(302)
        if block["sender"] != sender:
            raise ApiError(400)
        if "text" not in block or block["text"] in (None, ""):
            raise ApiError(201)
        if not isinstance(block["text"], str):
            raise ApiError(304)
        return block

    def _check_viber(self, viber: Mapping[str, Any]) -> None:
        if "ttl" in viber:
            ttl = viber["ttl"]
            if not isinstance(ttl, int) or isinstance(ttl, bool):
                raise ApiError(306)
            if ttl < 1:
                raise ApiError(409)
        caption, action = viber.get("caption"), viber.get("action")
        if caption and not action:
            raise ApiError(206)
        if action and not caption:
            raise ApiError(205)
        if caption and len(str(caption)) > MAX_CAPTION:
            raise ApiError(408)
        if viber.get("is_transactional") and (caption or action or viber.get("image_url")):
            raise ApiError(410)

    def _refusal(self, recipient: Any, seen: set[str]) -> int | None:
        phone = str(recipient)
        if not isinstance(recipient, str) or not phone.isdigit() or not 10 <= len(phone) <= 15:
            return 305
        if phone in seen:
            return 407
        if not phone.startswith(self.countries):
            return 406
        if phone in self.stopped:
            return 404
        return None

    def _plan(
        self, phone: str, sms: Mapping[str, Any] | None, viber: Mapping[str, Any] | None
    ) -> SentMessage:
        use_viber = viber is not None and (sms is None or phone not in self.no_viber)
        block = viber if use_viber else sms
        assert block is not None
        text = str(block["text"])
        parts = 1 if use_viber else sms_parts(text)
        cost = self.viber_price if use_viber else self.sms_price * parts
        return SentMessage(
            message_id=str(uuid.uuid4()),
            phone=phone,
            channel="viber" if use_viber else "sms",
            sender=str(block["sender"]),
            text=text,
            block=dict(block),
            hybrid=sms is not None and viber is not None,
            parts=parts,
            cost=cost,
        )

    def _line(self, phone: str, code: int, message_id: str | None) -> dict[str, Any]:
        return {
            "phone": phone,
            "response_code": code,
            "message_id": message_id,
            "response_status": self.names.get(code, "UNKNOWN"),
        }

    # -- message/status.json, user/balance.json -------------------------------------------------

    def _status(self, body: Any) -> tuple[int, Any]:
        ids = body.get("messages") if isinstance(body, dict) else None
        if not ids:
            raise ApiError(104)
        if not isinstance(ids, list):
            raise ApiError(300)
        return 0, [self._status_item(str(message_id)) for message_id in ids]

    def _status_item(self, message_id: str) -> dict[str, Any]:
        message = self.messages.get(message_id)
        if message is None:
            return {
                "message_id": message_id,
                "response_code": 414,
                "response_status": self.names[414],
            }
        known = message.status or message.rejected_status or message.click_time
        if not known:
            code = message.code
            return {
                "message_id": message_id,
                "response_code": code,
                "response_status": self.names[code],
            }
        item = {
            "message_id": message_id,
            "response_code": 0,
            "response_status": "OK",
            "recipient": message.phone,
            "sent": message.sent,
            "updated": message.updated,
            "status": message.status,
            "type": message.channel,
        }
        if message.channel == "viber":
            item.update(rejected_status=message.rejected_status, click_time=message.click_time)
        return item

    def _balance(self, body: Any) -> tuple[int, Any]:
        return 0, {"balance": self.balance}

    def _report(self, message_id: str, status: str) -> None:
        message = self._message(message_id)
        message.code = 801
        message.status = status
        message.updated = now_text()

    def _message(self, message_id: str) -> SentMessage:
        if message_id not in self.messages:
            raise KeyError(f"the fake sent no message {message_id}")
        return self.messages[message_id]


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


@asynccontextmanager
async def serve(fake: FakeTurboSms) -> AsyncIterator[str]:
    """Serve ``fake`` on 127.0.0.1, port 0; yield its address (the gateway's ``api_url``)."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()
