"""The token in an order's web confirmation link (``<PUBLIC_URL>/c/<token>``).

It carries the order's link token (random, unguessable, never the order number or the phone) and
when the link stops working, signed with a secret of the deployment, so that nobody can stretch
an expired link or make one for another order; no database look-up is needed to refuse either.
Form: ``<link token>.<expiry, base-36 Unix seconds>.<signature>`` — URL-safe as it is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

SIGNATURE_BYTES: Final = 16  # 128 bits: forging one is out of reach
MAX_TOKEN_LENGTH: Final = 128  # anything longer is refused before any work
DIGITS: Final = "0123456789abcdefghijklmnopqrstuvwxyz"


class PageTokenInvalid(ValueError):
    """Not a token of this deployment: malformed, forged or for another secret."""


class PageTokenExpired(ValueError):
    """A real token whose time is over (the page says so, and offers the bot)."""


@dataclass(frozen=True)
class PageToken:
    link_token: str
    expires_at: datetime


def make_page_token(link_token: str, expires_at: datetime, secret: bytes) -> str:
    if not link_token or "." in link_token:
        raise ValueError("a link token is URL-safe text without dots")
    body = f"{link_token}.{_base36(int(expires_at.timestamp()))}"
    return f"{body}.{_sign(body, secret)}"


def read_page_token(token: str, secret: bytes, now: datetime) -> PageToken:
    """The token's order link and expiry; raise PageTokenInvalid or PageTokenExpired.

    The signature is checked first and in constant time: an expired forgery is "invalid"."""
    parts = token.split(".") if 0 < len(token) <= MAX_TOKEN_LENGTH else []
    if len(parts) != 3 or not all(parts):
        raise PageTokenInvalid()
    link_token, expiry, signature = parts
    if not hmac.compare_digest(signature, _sign(f"{link_token}.{expiry}", secret)):
        raise PageTokenInvalid()
    try:
        seconds = int(expiry, 36)
        expires_at = datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        raise PageTokenInvalid() from None
    if now >= expires_at:
        raise PageTokenExpired()
    return PageToken(link_token=link_token, expires_at=expires_at)


def _sign(body: str, secret: bytes) -> str:
    digest = hmac.new(secret, body.encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _base36(number: int) -> str:
    if number <= 0:
        return "0"
    out = []
    while number:
        number, rest = divmod(number, 36)
        out.append(DIGITS[rest])
    return "".join(reversed(out))
