"""What happened to one delivery attempt, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import aiohttp
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from pydantic import ValidationError

from bot.delivery.telegram_call import UnsupportedMethod
from bot.delivery.webhooks import WebhookRejected


@dataclass(frozen=True)
class Sent:
    """Accepted (or nothing left to do): mark the row sent."""

    message_id: int | None = None
    chat_id: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class RateLimited:
    """429: wait ``retry_after`` for this chat and try the same row again; not a failed attempt."""

    retry_after: float
    error: str


@dataclass(frozen=True)
class Retry:
    """A transient failure (5xx, network, timeout, shop not 2xx): back off, count the attempt.

    ``reason`` is a short, fixed label for metrics (one of ``RETRY_REASONS``); ``not_before`` is
    the wait the other side asked for (the shop's ``Retry-After``), if any.
    """

    error: str
    reason: str = "other"
    not_before: timedelta | None = None


RETRY_REASONS = (
    "server_error",  # Telegram answered 5xx
    "network",  # no answer: connection refused or reset, DNS
    "timeout",
    "unauthorized",  # 401: the token is wrong (a misconfiguration, not the message)
    "not_found",  # 404: the API URL is wrong
    "shop_rejected",  # the shop's webhook answered other than 2xx
    "database",  # the row's data could not be read
    "platform_error",  # a connected platform answered 429/5xx or not at all
    "platform_refused",  # a connected platform refuses the credentials: waits for vykup connect
    "outreach_error",  # the Viber/SMS provider answered 429/5xx or not at all
    "outreach_refused",  # the provider refuses the token, a sender or for want of funds
    "quiet_hours",  # a Viber/SMS message that would reach a phone at night waits for morning
    "other",
)


@dataclass(frozen=True)
class Unreachable:
    """403 or 'chat not found': nothing more can reach this chat."""

    error: str


@dataclass(frozen=True)
class Failed:
    """A permanent error for this row only (a bad request, a payload we cannot build)."""

    reason: str
    error: str


Outcome = Sent | RateLimited | Retry | Unreachable | Failed


@dataclass(frozen=True)
class Backoff:
    """``base * 2**attempts`` seconds, capped: 1 s … 5 min for Telegram, 5 s … 1 h for webhooks;
    then up to ``jitter`` of it more, by ``draw`` (0 ≤ draw < 1), so that deliveries that failed
    together (the shop's endpoint was down) do not all come back in the same second."""

    base: float
    cap: float
    jitter: float = 0.0

    def delay(self, attempts: int, draw: float = 0.0) -> timedelta:
        exponent = min(max(attempts, 0), 32)
        plain = min(self.cap, self.base * 2**exponent)
        return timedelta(seconds=plain * (1 + self.jitter * min(max(draw, 0.0), 1.0)))


TELEGRAM_BACKOFF = Backoff(base=1.0, cap=300.0)
WEBHOOK_BACKOFF = Backoff(base=5.0, cap=3600.0, jitter=0.5)
# However long a shop asks us to wait (Retry-After), the delivery is tried again within a day.
LONGEST_REQUESTED_WAIT = timedelta(days=1)


def describe(exc: BaseException) -> str:
    if isinstance(exc, TelegramAPIError):
        return exc.message
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def classify_telegram_error(exc: Exception, *, edited_message_id: int | None = None) -> Outcome:
    description = describe(exc)
    lowered = description.lower()
    if isinstance(exc, TelegramRetryAfter):
        seconds = exc.retry_after
        return RateLimited(float(seconds), f"429 Too Many Requests: retry after {seconds}")
    if isinstance(exc, TelegramForbiddenError):
        return Unreachable(description)
    if isinstance(exc, TelegramMigrateToChat):
        return Failed("migrated", f"{description} (now chat {exc.migrate_to_chat_id})")
    if isinstance(exc, TelegramBadRequest):
        if "message is not modified" in lowered:
            return Sent(message_id=edited_message_id, note=description)
        if "chat not found" in lowered:
            return Unreachable(description)
        return Failed("bad_request", description)
    if isinstance(exc, TelegramEntityTooLarge):
        return Failed("too_large", description)
    if isinstance(exc, (UnsupportedMethod, ValidationError)):
        return Failed("invalid_payload", description)
    # 5xx, network errors, timeouts, and also 401/404 (a misconfigured token or API server):
    # those are not the message's fault, so it waits instead of being thrown away.
    return Retry(description, _telegram_retry_reason(exc))


def _telegram_retry_reason(exc: Exception) -> str:
    if isinstance(exc, TelegramServerError):
        return "server_error"
    if isinstance(exc, TelegramUnauthorizedError):
        return "unauthorized"
    if isinstance(exc, TelegramNotFound):
        return "not_found"
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, (TelegramNetworkError, aiohttp.ClientError, OSError)):
        return "network"
    return "other"


def classify_webhook_error(exc: Exception) -> Outcome:
    if isinstance(exc, aiohttp.InvalidURL):
        return Failed("invalid_payload", describe(exc))
    if isinstance(exc, WebhookRejected):
        if exc.status == 410:  # Standard Webhooks: the receiver wants no more deliveries
            return Failed("gone", describe(exc))
        wait = exc.retry_after
        return Retry(
            describe(exc),
            "shop_rejected",
            not_before=min(wait, LONGEST_REQUESTED_WAIT) if wait is not None else None,
        )
    if isinstance(exc, TimeoutError):
        return Retry(describe(exc) or "timeout", "timeout")
    if isinstance(exc, aiohttp.ClientError):
        return Retry(describe(exc) or "network error", "network")
    if isinstance(exc, (KeyError, TypeError, ValueError)):
        return Failed("invalid_payload", describe(exc))
    return Retry(describe(exc))
