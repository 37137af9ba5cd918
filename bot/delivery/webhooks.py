"""Deliver events to the shop's webhook: compact JSON, signed (``bot.delivery.signing``)."""

from __future__ import annotations

import hmac
import json
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot.delivery.signing import (
    LEGACY_DELIVERY_HEADER,
    LEGACY_SIGNATURE_HEADER,
    Signer,
    legacy_signature,
)
from bot.domain.retry_after import parse_retry_after

SIGNATURE_HEADER = LEGACY_SIGNATURE_HEADER
DELIVERY_HEADER = LEGACY_DELIVERY_HEADER
DEFAULT_TIMEOUT = 10.0


class WebhookRejected(Exception):
    """The shop answered, but not with a 2xx (``retry_after``: the wait it asked for, if any)."""

    def __init__(self, status: int, reason: str, retry_after: timedelta | None = None) -> None:
        super().__init__(f"HTTP {status} {reason}".strip())
        self.status = status
        self.retry_after = retry_after


def encode_body(body: Any) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def sign(body: bytes, secret: str) -> str:
    """The deprecated ``X-Vykup-Signature`` value: ``sha256=<hex HMAC-SHA256 of the body>``."""
    return legacy_signature(body, secret)


def verify(body: bytes, secret: str, signature: str | None) -> bool:
    """What a receiver does: recompute and compare in constant time."""
    return signature is not None and hmac.compare_digest(sign(body, secret), signature)


def safe_target(url: str) -> str:
    """Scheme, host and path only, for logs (no query string, no credentials)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{parts.path}"


async def post_webhook(
    http: aiohttp.ClientSession,
    url: str,
    body: Any,
    *,
    signer: Signer,
    msg_id: str,
    sent_at: datetime,
    delivery_id: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> int:
    """POST ``body``; return the 2xx status or raise ``WebhookRejected`` / aiohttp / timeout errors."""
    data = encode_body(body)
    headers = {"Content-Type": "application/json", **signer.headers(msg_id, sent_at, data)}
    if delivery_id is not None:
        headers[DELIVERY_HEADER] = str(delivery_id)
    async with http.post(
        url,
        data=data,
        headers=headers,
        timeout=aiohttp.ClientTimeout(total=timeout),
        allow_redirects=False,
    ) as response:
        if 200 <= response.status < 300:
            return response.status
        raise WebhookRejected(
            response.status,
            response.reason or "",
            parse_retry_after(response.headers.get("Retry-After"), sent_at),
        )
