"""One TurboSMS account as the stand-in keeps it, and its answers to ``message/send.json``,
``message/status.json``, ``user/balance.json`` and each module's ``ping``."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from aiohttp import web

from bot.domain.sms_parts import sms_parts
from bot.standin.turbosms import checks
from bot.standin.turbosms.codes import status_name
from bot.standin.turbosms.records import (
    DELIVERED,
    NOT_DELIVERED,
    ApiError,
    Call,
    SentMessage,
    api_time,
    utc_now,
)
from bot.standin.turbosms.wire import envelope, read_request

Route = Callable[[Any], tuple[int, Any]]


@dataclass
class TurboSmsStandin:
    """The provider with one account. Public state is readable; change it through the methods."""

    token: str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
    sms_sender: str = "Vykup"
    viber_sender: str = "Vykup Shop"
    balance: Decimal = Decimal("100.00")
    sms_price: Decimal = Decimal("0.80")  # per part
    viber_price: Decimal = Decimal("0.70")
    countries: tuple[str, ...] = ("380",)  # prefixes enabled for the account
    user_blocked: bool = False
    # Every message taken is at once reported with this status text (the sandbox: DELIVERED);
    # None: only as :meth:`deliver` / :meth:`fail` say.
    report_at_once: str | None = None
    clock: Callable[[], datetime] = field(default_factory=lambda: utc_now)
    on_change: Callable[[], None] | None = None  # after a send took messages (the sandbox redraws)
    messages: dict[str, SentMessage] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    ignored_fields: list[str] = field(default_factory=list)
    no_viber: set[str] = field(default_factory=set)
    stopped: set[str] = field(default_factory=set)
    _failures: list[tuple[int, str | None]] = field(default_factory=list)
    _codes: list[int] = field(default_factory=list)
    _sequences: dict[str, dict[str, Any]] = field(default_factory=dict)

    # -- what a test (or the sandbox) does ------------------------------------------------------

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
        message.click_time = message.updated = self._stamp()

    def reject_viber(self, message_id: str, rejected_status: str) -> None:
        message = self._message(message_id)
        message.rejected_status = rejected_status
        message.updated = self._stamp()

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
        incoming = read_request(request, await request.read())
        self.calls.append(Call(request.method, request.path, incoming.auth, incoming.body))
        if self._failures:
            status, retry_after = self._failures.pop(0)
            headers = {"Retry-After": retry_after} if retry_after else None
            return web.Response(status=status, text="Service Unavailable", headers=headers)
        module, _, method = request.path.strip("/").partition("/")
        method = method.removesuffix(".json")
        routes: Mapping[tuple[str, str], Route] = {
            ("message", "send"): self._send,
            ("message", "status"): self._status,
            ("user", "balance"): self._balance,
        }
        route = routes.get((module, method))
        if route is None and not (method == "ping" and module in ("message", "user")):
            return web.Response(status=404, text="Not Found")  # the facts are silent: a choice
        try:
            if not incoming.token:
                raise ApiError(103)
            if incoming.token != self.token:
                raise ApiError(105)
            if self.user_blocked:
                raise ApiError(106)
            if self._codes:
                raise ApiError(self._codes.pop(0))
            if incoming.error is not None:
                raise ApiError(incoming.error)
            if route is None:
                return envelope(1, None)
            code, result = route(incoming.body)
            return envelope(code, result)
        except ApiError as error:
            return envelope(error.code, error.result)

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
        ignored = self.ignored_fields
        sms = checks.block(body, "sms", checks.SMS_FIELDS, self.sms_sender, ignored)
        viber = checks.block(body, "viber", checks.VIBER_FIELDS, self.viber_sender, ignored)
        if sms is None and viber is None:
            raise ApiError(300)  # the facts are silent: the stand-in refuses it as invalid
        if viber is not None:
            checks.viber(viber)
        lines: list[dict[str, Any]] = []
        planned: list[SentMessage] = []
        seen: set[str] = set()
        for recipient in recipients:
            phone = str(recipient)
            refusal = checks.recipient_refusal(recipient, seen, self.countries, self.stopped)
            seen.add(phone)
            if refusal is not None:
                lines.append(_line(phone, refusal, None))
                continue
            message = self._plan(phone, sms, viber)
            planned.append(message)
            lines.append(_line(phone, 800, message.message_id))
        if sum((m.cost for m in planned), Decimal(0)) > self.balance:
            raise ApiError(203)
        for message in planned:
            self.balance -= message.cost
            self.messages[message.message_id] = message
            if self.report_at_once is not None:
                self._report(message.message_id, self.report_at_once)
        if planned:
            code = 800 if len(planned) == len(lines) else 802
        else:  # nobody taken: the first recipient's refusal (the facts are silent; a choice)
            code = lines[0]["response_code"]
        if sequence is not None:
            self._sequences[str(sequence)] = {"code": code, "result": lines}
        if planned and self.on_change is not None:
            self.on_change()
        return code, lines

    def _plan(
        self, phone: str, sms: Mapping[str, Any] | None, viber: Mapping[str, Any] | None
    ) -> SentMessage:
        use_viber = viber is not None and (sms is None or phone not in self.no_viber)
        block = viber if use_viber else sms
        assert block is not None
        text = str(block["text"])
        parts = 1 if use_viber else sms_parts(text)
        now = self.clock()
        return SentMessage(
            message_id=str(uuid.uuid4()),
            phone=phone,
            channel="viber" if use_viber else "sms",
            sender=str(block["sender"]),
            text=text,
            block=dict(block),
            hybrid=sms is not None and viber is not None,
            parts=parts,
            cost=self.viber_price if use_viber else self.sms_price * parts,
            at=now,
            sent=api_time(now),
            updated=api_time(now),
        )

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
                "response_status": status_name(414),
            }
        known = message.status or message.rejected_status or message.click_time
        if not known:  # no report yet: only the id and where the message is
            code = message.code
            return {
                "message_id": message_id,
                "response_code": code,
                "response_status": status_name(code),
            }
        item = {
            "message_id": message_id,
            "response_code": 0,  # a reported item carries 0 OK (the facts are silent: a choice)
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
        message.updated = self._stamp()

    def _message(self, message_id: str) -> SentMessage:
        if message_id not in self.messages:
            raise KeyError(f"the stand-in sent no message {message_id}")
        return self.messages[message_id]

    def _stamp(self) -> str:
        return api_time(self.clock())


def _line(phone: str, code: int, message_id: str | None) -> dict[str, Any]:
    return {
        "phone": phone,
        "response_code": code,
        "message_id": message_id,
        "response_status": status_name(code),
    }
