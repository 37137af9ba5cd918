"""One delivery attempt for one outbox row: prepare the call, make it, record the outcome at once.

Three steps, so that the worker can pace exactly the call: preparing may read the database, and
recording writes it, and neither belongs inside a rate limiter's slot.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import aiohttp
from aiogram import Bot
from aiogram.methods import TelegramMethod

from bot.botapi.rate_limit import RateLimiter
from bot.delivery.outcomes import (
    Backoff,
    Failed,
    Outcome,
    RateLimited,
    Retry,
    Sent,
    Unreachable,
    classify_telegram_error,
    classify_webhook_error,
    describe,
)
from bot.delivery.outreach_calls import OutreachCalls
from bot.delivery.platform_calls import PlatformCalls
from bot.delivery.queue import fail_chat
from bot.delivery.signing import Signer
from bot.delivery.telegram_call import (
    NO_CARD_TO_EDIT,
    call,
    edited_message_id,
    prepare,
    record_sent,
    sent_ids,
)
from bot.delivery.webhooks import post_webhook, safe_target
from bot.domain.durations import format_duration
from bot.domain.incidents import (
    DEFAULT_WEBHOOK_GIVE_UP,
    SHOP_FAILING_ALERT_AFTER,
    past_give_up,
)
from bot.domain.shop_events import event_id, with_identity
from bot.services.connections import health
from bot.telegram.response_models import ResponseModels
from storage.models import OutboxMessage
from storage.repositories.outbox import OUTREACH, PLATFORM, TELEGRAM, WEBHOOK
from storage.uow import Database, UnitOfWork

OnUnreachable = Callable[[int], Awaitable[None]]
# Failures that a person at the shop must fix (not a bad payload of ours).
SHOP_TROUBLE = frozenset({"gave_up", "gone"})


class ShopWatch(Protocol):
    """Hears how the shop's endpoint fares (``bot.services.shop_deliveries``)."""

    async def failed(self, uow: UnitOfWork, error: str) -> None:
        """A delivery was refused for an hour, or given up: in the transaction that records it."""

    async def delivered(self) -> None:
        """A delivery was accepted."""


class TelegramWatch(Protocol):
    """Hears whether Telegram takes the bot's token (``bot.services.telegram_token``)."""

    async def rejected(self, error: str) -> None:
        """Telegram answered 401 Unauthorized (after the row's retry is stored)."""

    async def accepted(self) -> None:
        """Telegram accepted a call."""


@dataclass
class DeliveryStats:
    """Counters for metrics: what went out, what failed and why, what waits."""

    sent: int = 0
    retried: Counter[str] = field(default_factory=Counter)  # by Retry.reason
    rate_limited: int = 0
    unreachable_chats: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    # Calls to connected platforms by (platform, outcome): sent, retried, refused, failed.
    platform_calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    # Viber/SMS sends by outcome: sent, retried, refused, failed, dropped.
    outreach_calls: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Ready:
    """A row whose call is built: a Bot API method, or (``method`` None) the shop webhook."""

    row: OutboxMessage
    method: TelegramMethod[Any] | None = None


@dataclass(frozen=True)
class DeliverySettings:
    webhook_secret: str | None
    telegram_backoff: Backoff
    webhook_backoff: Backoff
    webhook_timeout: float
    concurrency: int
    draw: Callable[[], float] = random.random  # the backoff's jitter; tests fix it
    webhook_give_up: timedelta | None = DEFAULT_WEBHOOK_GIVE_UP  # None: retry for ever


class Deliverer:
    def __init__(
        self,
        db: Database,
        bot: Bot,
        http: aiohttp.ClientSession,
        *,
        settings: DeliverySettings,
        limiter: RateLimiter,
        on_unreachable: OnUnreachable,
        shop_watch: ShopWatch | None = None,
        telegram_watch: TelegramWatch | None = None,
        platform_calls: PlatformCalls | None = None,
        outreach_calls: OutreachCalls | None = None,
        stats: DeliveryStats,
        logger: logging.Logger,
    ) -> None:
        self._db = db
        self._bot = bot
        self._http = http
        self._settings = settings
        self._signer = Signer(settings.webhook_secret)
        self._shop_watch = shop_watch
        self._telegram_watch = telegram_watch
        self._platform_calls = platform_calls
        if platform_calls is not None:
            stats.platform_calls = platform_calls.counts
        self._outreach_calls = outreach_calls
        if outreach_calls is not None:
            stats.outreach_calls = outreach_calls.counts
        self._limiter = limiter
        self._on_unreachable = on_unreachable
        self._stats = stats
        self._log = logger
        # Held from the call until its outcome is recorded: at most ``concurrency`` rows can be
        # "accepted by Telegram, not yet marked sent", so at most that many repeat after a crash.
        self.in_flight = asyncio.Semaphore(settings.concurrency)
        self._models = ResponseModels()

    async def prepare(self, row: OutboxMessage) -> Ready | Outcome:
        """The call to make for ``row``, or already its outcome (nothing to send, a bad payload)."""
        if row.channel in (WEBHOOK, PLATFORM, OUTREACH):
            return Ready(row)
        if row.channel != TELEGRAM:
            return Failed("invalid_payload", f"unknown channel {row.channel!r}")
        try:
            method = await prepare(self._db, row)
        except (ValueError, TypeError, KeyError) as exc:  # incl. pydantic's ValidationError
            return Failed("invalid_payload", describe(exc))
        except Exception as exc:  # the database, while reading the order's card
            return Retry(describe(exc), "database")
        if method is None:
            return Sent(note=NO_CARD_TO_EDIT)
        return Ready(row, method)

    async def send(self, ready: Ready) -> Outcome:
        """Make the call once; nothing is recorded yet (``record`` does that)."""
        if ready.method is not None:
            return await self._telegram(ready.method)
        if ready.row.channel == PLATFORM:
            if self._platform_calls is None:
                return Retry("no platform connector in this process", "other")
            return await self._platform_calls.send(ready.row)
        if ready.row.channel == OUTREACH:
            if self._outreach_calls is None:
                return Retry("no Viber/SMS provider in this process (TURBOSMS_TOKEN)", "other")
            return await self._outreach_calls.send(ready.row)
        return await self._webhook(ready.row)

    async def _telegram(self, method: TelegramMethod[Any]) -> Outcome:
        self._models.keep(method)
        try:
            result = await call(self._bot, method)
        except Exception as exc:
            return classify_telegram_error(exc, edited_message_id=edited_message_id(method))
        message_id, chat_id = sent_ids(result)
        if message_id is None:
            message_id = edited_message_id(method)
        return Sent(message_id=message_id, chat_id=chat_id)

    async def _webhook(self, row: OutboxMessage) -> Outcome:
        try:
            url, body = row.payload["url"], row.payload["body"]
            msg_id = event_id(row.id)
            await post_webhook(
                self._http,
                url,
                with_identity(body, msg_id),
                signer=self._signer,
                msg_id=msg_id,
                # The receiver holds this against its own clock: the wall clock's time, not the
                # bot's (which the sandbox and the tests move).
                sent_at=datetime.now(UTC),
                delivery_id=row.id,
                timeout=self._settings.webhook_timeout,
            )
        except Exception as exc:
            return classify_webhook_error(exc)
        return Sent()

    async def record(self, row: OutboxMessage, outcome: Outcome) -> Outcome:
        """Commit what happened to ``row``; the returned outcome tells the lane what next."""
        where = self._where(row)
        if isinstance(outcome, Sent):
            async with self._db.uow() as uow:
                await record_sent(
                    uow,
                    row,
                    message_id=outcome.message_id,
                    chat_id=outcome.chat_id,
                    note=outcome.note,
                )
                await uow.commit()
            self._stats.sent += 1
            if row.channel == TELEGRAM:
                self._limiter.recover()
                if self._telegram_watch is not None:
                    await self._telegram_watch.accepted()
            elif row.channel == WEBHOOK and self._shop_watch is not None:
                await self._shop_watch.delivered()
            self._log.info("outbox %s sent (%s)%s", row.id, where, _note(outcome.note))
        elif isinstance(outcome, RateLimited):
            await self._rate_limited(row, outcome, where)
        elif isinstance(outcome, Retry):
            await self._retry(row, outcome, where)
        elif isinstance(outcome, Unreachable):
            return await self._unreachable(row, outcome, where)
        else:
            await self._fail(row, outcome, where)
        return outcome

    async def _fail(self, row: OutboxMessage, failed: Failed, where: str) -> None:
        async with self._db.uow() as uow:
            await uow.outbox.mark_failed(row.id, error=failed.error)
            if failed.reason in SHOP_TROUBLE and self._shop_watch is not None:
                await self._shop_watch.failed(uow, failed.error)
            await uow.commit()
        self._stats.failed[failed.reason] += 1
        self._log.error("outbox %s failed (%s): %s", row.id, where, failed.error)

    async def _rate_limited(self, row: OutboxMessage, outcome: RateLimited, where: str) -> None:
        self._stats.rate_limited += 1
        if row.chat_id is not None:
            self._limiter.pause_chat(row.chat_id, outcome.retry_after)
        else:
            self._limiter.pause_all(outcome.retry_after)
        self._limiter.slow_down()
        async with self._db.uow() as uow:
            await uow.outbox.retry_later(
                row.id, at=row.next_attempt_at, error=outcome.error, count_attempt=False
            )
            await uow.commit()
        self._log.warning(
            "outbox %s: 429 (%s), retry after %ss", row.id, where, outcome.retry_after
        )

    async def _retry(self, row: OutboxMessage, retry: Retry, where: str) -> None:
        backoff = (
            self._settings.webhook_backoff
            if row.channel in (WEBHOOK, PLATFORM, OUTREACH)
            else self._settings.telegram_backoff
        )
        delay = backoff.delay(row.attempts, self._settings.draw())
        if retry.not_before is not None:
            delay = max(delay, retry.not_before)
        give_up = self._settings.webhook_give_up
        next_at = self._db.clock.now() + delay
        if row.channel == WEBHOOK and give_up and past_give_up(row.created_at, next_at, give_up):
            error = f"given up after {format_duration(give_up)}: {retry.error}"
            await self._fail(row, Failed("gave_up", error), where)
            return
        async with self._db.uow() as uow:
            now = uow.clock.now()
            if (
                retry.reason == "platform_refused"
                and isinstance(row.payload, dict)
                and not await health.refused_still(uow, row.payload.get("connection"))
            ):
                delay = timedelta(0)  # `vykup connect` fixed the credentials meanwhile: go now
            await uow.outbox.retry_later(row.id, at=now + delay, error=retry.error)
            if (
                row.channel == WEBHOOK
                and self._shop_watch is not None
                and now - row.created_at >= SHOP_FAILING_ALERT_AFTER
            ):
                await self._shop_watch.failed(uow, retry.error)
            await uow.commit()
        self._stats.retried[retry.reason] += 1
        if retry.reason == "unauthorized" and self._telegram_watch is not None:
            await self._telegram_watch.rejected(retry.error)
        self._log.warning(
            "outbox %s (%s) attempt %s failed, retry in %ss: %s",
            row.id,
            where,
            row.attempts + 1,
            delay.total_seconds(),
            retry.error,
        )

    async def _unreachable(self, row: OutboxMessage, outcome: Unreachable, where: str) -> Outcome:
        chat_id = row.chat_id
        if chat_id is not None:
            # Tell the service first: a crash before the rows are failed repeats the alert
            # (the next worker meets the same 403) instead of losing it.
            try:
                await self._on_unreachable(chat_id)
            except Exception:
                self._log.exception("outbox %s: on_unreachable(%s) raised", row.id, chat_id)
                retry = Retry(f"{outcome.error} (unreachable handler failed)", "other")
                await self._retry(row, retry, where)
                return retry
        async with self._db.uow() as uow:
            if chat_id is not None:
                count = await fail_chat(uow, chat_id, error=outcome.error)
            else:
                await uow.outbox.mark_failed(row.id, error=outcome.error)
                count = 1
            await uow.commit()
        self._stats.unreachable_chats += 1
        self._stats.failed["unreachable"] += count
        self._log.warning(
            "outbox %s (%s): chat unreachable, %s message(s) failed: %s",
            row.id,
            where,
            count,
            outcome.error,
        )
        return outcome

    @staticmethod
    def _where(row: OutboxMessage) -> str:
        if row.channel == WEBHOOK:
            url = row.payload.get("url") if isinstance(row.payload, dict) else None
            target = safe_target(url) if isinstance(url, str) else "?"
            return f"webhook order={row.order_id} {target}"
        if row.channel == PLATFORM:
            return f"platform {row.method} order={row.order_id}"
        if row.channel == OUTREACH:
            return f"viber/sms order={row.order_id}"
        return f"{row.method} chat={row.chat_id} purpose={row.purpose}"


def _note(note: str | None) -> str:
    return f": {note}" if note else ""
