"""The forms' CSRF token: stateless, so any web process checks what another one issued.

``<nonce>.<issued, base-36 Unix seconds>.<HMAC(secret, page token, nonce, issued)>``: bound to
the page's own token (a form of one order's page is refused on another's), fresh (at most
:data:`MAX_AGE` old) and unforgeable without the deployment's secret. A page's token is already
the capability to answer, so the check is there for another site that makes a visitor's browser
post: it can know neither the nonce's signature nor, without the link, the address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Final

MAX_AGE: Final = timedelta(hours=24)  # a page left open overnight: reloading it gives a new form
MAX_LENGTH: Final = 100


def issue(secret: str, page_token: str, now: datetime) -> str:
    nonce = secrets.token_urlsafe(12)
    issued = format(int(now.timestamp()), "x")
    return f"{nonce}.{issued}.{_sign(secret, page_token, nonce, issued)}"


def valid(secret: str, page_token: str, value: str, now: datetime) -> bool:
    parts = value.split(".") if 0 < len(value) <= MAX_LENGTH else []
    if len(parts) != 3:
        return False
    nonce, issued, signature = parts
    if not hmac.compare_digest(signature, _sign(secret, page_token, nonce, issued)):
        return False
    try:
        age = now.timestamp() - int(issued, 16)
    except ValueError:
        return False
    return -60 <= age <= MAX_AGE.total_seconds()  # a minute of clock skew between processes


def _sign(secret: str, page_token: str, nonce: str, issued: str) -> str:
    body = f"csrf\n{page_token}\n{nonce}\n{issued}".encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
