"""One outbox row for the Viber/SMS provider: hand the message over, note what it said.

The message was composed when it was queued (``bot.services.outreach.due``); here it is checked
once more against what may have changed while it waited (the order answered, the customer
said stop or opened the bot, the night came), paced as the provider allows, and sent with the
outbox row's id as TurboSMS's ``sequence_id``, so a send repeated after a lost answer is
executed once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import timedelta
from typing import Any

import aiohttp

from bot.channels.base import Gateway, GatewayRejected, OutboundMessage
from bot.delivery.outcomes import Failed, Outcome, Retry, Sent, describe
from bot.domain.incidents import IncidentKind
from bot.domain.outreach import ChannelPreference, OutreachState
from bot.services import incidents
from bot.services.context import ServiceContext
from bot.services.outreach import sending
from storage.models import OutboxMessage
from storage.uow import Database

REFUSED_RECHECK = timedelta(minutes=30)  # a refused token, sender or balance: try again then
# How long Viber keeps trying before the hybrid send falls back to SMS (TurboSMS's ttl): short
# enough that the SMS still comes well before the managers are asked to call.
VIBER_TTL = timedelta(minutes=15)

log = logging.getLogger(__name__)


class Pacer:
    """At most ``per_second`` calls a second, spread evenly (OUTREACH_PER_SECOND).

    TurboSMS publishes no rate limit (the refdata facts name none); an even pace keeps a burst of
    orders from arriving as one burst of requests, and a 429 it does answer is retried after its
    ``Retry-After`` like any unavailability."""

    def __init__(self, per_second: float) -> None:
        self._gap = 1.0 / per_second
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            loop = asyncio.get_running_loop()
            delay = self._next - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next = max(loop.time(), self._next) + self._gap


class OutreachCalls:
    def __init__(
        self,
        db: Database,
        ctx: ServiceContext,
        http: aiohttp.ClientSession,
        gateway: Gateway,
        *,
        per_second: float = 10.0,
    ) -> None:
        self._db = db
        self._ctx = ctx
        self._http = http
        self._gateway = gateway
        self._pacer = Pacer(per_second)
        # outcome → sends made by this process, for /metrics.
        self.counts: Counter[str] = Counter()

    async def send(self, row: OutboxMessage) -> Outcome:
        payload: dict[str, Any] = row.payload if isinstance(row.payload, dict) else {}
        message_id = payload.get("outreach")
        if not isinstance(message_id, int):
            return Failed("invalid_payload", "an outreach row without its message")
        check = await sending.check(self._db, self._ctx, message_id)
        if isinstance(check, sending.Hold):
            return Retry(check.why, "quiet_hours", not_before=check.wait)
        if isinstance(check, sending.Drop):
            self.counts["dropped"] += 1
            return Sent(note=check.why)
        outbound = OutboundMessage(
            recipient=check.phone,
            preference=ChannelPreference(check.preference),
            sms_text=payload.get("sms_text"),
            viber_text=payload.get("viber_text"),
            viber_button_caption=payload.get("button"),
            viber_button_url=payload.get("button_url"),
            ttl=VIBER_TTL if check.preference == ChannelPreference.viber_then_sms else None,
            idempotency_key=f"vykup-{row.id}",
        )
        await self._pacer.wait()
        try:
            result = await self._gateway.send(self._http, outbound)
        except GatewayRejected as rejected:
            return await self._rejected(message_id, rejected)
        except Exception as error:  # a gateway's bug: keep the row, say so
            log.exception("outreach %s: the gateway raised", message_id)
            self.counts["retried"] += 1
            return Retry(describe(error), "other")
        await sending.accepted(self._db, self._ctx, message_id, result)
        self.counts["sent"] += 1
        return Sent()

    async def _rejected(self, message_id: int, rejected: GatewayRejected) -> Outcome:
        error = f"TurboSMS: {rejected}"
        if rejected.worth_retrying:
            self.counts["retried"] += 1
            return Retry(error, "outreach_error", not_before=rejected.retry_after)
        if rejected.refusal.value in ("credentials", "sender", "funds"):
            # The account, not this message: it waits, and a person is told once.
            self.counts["refused"] += 1
            async with self._db.uow() as uow:
                await incidents.report(
                    uow, self._ctx, IncidentKind.outreach_provider, str(rejected)
                )
                await uow.commit()
            return Retry(error, "outreach_refused", not_before=REFUSED_RECHECK)
        # This message or this phone: it will not go; a manager calls instead.
        self.counts["failed"] += 1
        state = OutreachState.rejected if rejected.recipient_refused else OutreachState.failed
        await sending.refused(self._db, self._ctx, message_id, state, str(rejected))
        return Failed("outreach_rejected", error)
