"""TurboSMS (turbosms.ua): Viber, SMS and hybrid Viber→SMS through one HTTP API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

import aiohttp

from bot.channels.base import (
    DeliveryKind,
    DeliveryState,
    GatewayRejected,
    OutboundMessage,
    Refusal,
    SendResult,
)
from bot.channels.turbosms.client import (
    ACCEPTED_CODES,
    DEFAULT_API_URL,
    call,
    refusal_for,
)
from bot.channels.turbosms.messages import (
    CHANNELS,
    InvalidMessage,
    recipient_answer,
    recipient_digits,
    send_body,
)
from bot.channels.turbosms.statuses import parse_statuses

__all__ = ["DEFAULT_API_URL", "TurboSmsGateway"]


class TurboSmsGateway:
    """A :class:`bot.channels.base.Gateway` for one TurboSMS account.

    ``status_texts``: delivery status texts (as ``message/status.json`` writes them) → state,
    for the values no source has shown yet (see ``statuses.py``); empty: they read ``unknown``.
    """

    def __init__(
        self,
        token: str,
        sms_sender: str,
        viber_sender: str,
        api_url: str = DEFAULT_API_URL,
        status_texts: Mapping[str, DeliveryKind] | None = None,
    ) -> None:
        self._token = token
        self.sms_sender = sms_sender
        self.viber_sender = viber_sender
        self.api_url = api_url
        self._status_texts = dict(status_texts or {})

    def __repr__(self) -> str:  # the token stays out of logs and tracebacks
        return f"TurboSmsGateway(api_url={self.api_url!r}, sms_sender={self.sms_sender!r})"

    async def send(self, http: aiohttp.ClientSession, message: OutboundMessage) -> SendResult:
        try:
            body = send_body(message, sms_sender=self.sms_sender, viber_sender=self.viber_sender)
            phone = recipient_digits(message.recipient)
        except InvalidMessage as error:
            # Refused here, never sent: status 0 like no answer, but nothing to retry.
            raise GatewayRejected(Refusal.bad_request, str(error), status=0) from None
        result = await call(http, self.api_url, self._token, "message/send.json", body)
        answer = recipient_answer(result, phone)
        if answer is None:
            raise GatewayRejected(Refusal.unavailable, "the answer names no message for the phone")
        if answer.code not in ACCEPTED_CODES or answer.message_id is None:
            refusal = refusal_for(answer.code) if answer.code >= 0 else Refusal.unavailable
            raise GatewayRejected(refusal, answer.status or "refused", code=answer.code)
        # One id for the message whichever channel carries it (the hybrid fallback included).
        ids = dict.fromkeys(CHANNELS[message.preference], answer.message_id)
        return SendResult(message_ids=ids)

    async def statuses(
        self, http: aiohttp.ClientSession, message_ids: Sequence[str]
    ) -> list[DeliveryState]:
        if not message_ids:
            return []
        body = {"messages": list(message_ids)}
        result = await call(http, self.api_url, self._token, "message/status.json", body)
        states = {s.message_id: s for s in parse_statuses(result, self._status_texts)}
        # An id the answer left out is reported, not dropped: the caller asked about it.
        return [
            states.get(mid, DeliveryState(mid, DeliveryKind.unknown, None)) for mid in message_ids
        ]

    async def balance(self, http: aiohttp.ClientSession) -> Decimal:
        result = await call(http, self.api_url, self._token, "user/balance.json", {})
        value = result.get("balance") if isinstance(result, dict) else None
        if isinstance(value, Decimal | int | str) and not isinstance(value, bool):
            try:
                return Decimal(value)
            except InvalidOperation:
                pass
        raise GatewayRejected(Refusal.unavailable, "the balance answer carries no number")
