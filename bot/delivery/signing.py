"""Signatures on webhooks to the shop, the Standard Webhooks way (spec 1.0.0,
https://www.standardwebhooks.com): ``webhook-id``, ``webhook-timestamp`` and
``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``, keyed by the bytes a
``whsec_<base64>`` secret stands for. The id and the time are signed with the body, so a captured
delivery stops verifying after the receiver's tolerance and a replayed one is known by its id.

The older ``X-Vykup-Signature`` (HMAC of the body alone, keyed by the secret's text) is still sent
for one release so that receivers written for it keep working; it is deprecated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.webhook_secret import SECRET_PREFIX, InvalidSecret, signing_key

__all__ = [
    "InvalidSecret",
    "Signer",
    "new_secret",
    "signature",
    "signing_key",
    "verify",
]

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
LEGACY_SIGNATURE_HEADER = "X-Vykup-Signature"
LEGACY_DELIVERY_HEADER = "X-Vykup-Delivery"
VERSION = "v1"
# Every reference library accepts a timestamp 5 minutes either side of its own clock.
TOLERANCE = timedelta(minutes=5)


def new_secret() -> str:
    """A fresh secret in the form the Standard Webhooks libraries take."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return f"{VERSION},{base64.b64encode(digest).decode()}"


def legacy_signature(body: bytes, secret: str) -> str:
    """``sha256=<hex HMAC-SHA256 of the body keyed by the secret's text>`` (deprecated)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Signer:
    """Signs one shop's deliveries with its ``SHOP_WEBHOOK_SECRET`` (None: unsigned)."""

    secret: str | None

    @property
    def standard(self) -> bool:
        return self.secret is not None and signing_key(self.secret) is not None

    def headers(self, msg_id: str, sent_at: datetime, body: bytes) -> dict[str, str]:
        """Headers for one attempt: the timestamp is the attempt's, the id the event's."""
        timestamp = int(sent_at.timestamp())
        headers = {ID_HEADER: msg_id, TIMESTAMP_HEADER: str(timestamp)}
        if self.secret is None:
            return headers
        key = signing_key(self.secret)
        if key is not None:
            headers[SIGNATURE_HEADER] = signature(key, msg_id, timestamp, body)
        headers[LEGACY_SIGNATURE_HEADER] = legacy_signature(body, self.secret)
        return headers


def verify(secret: str, headers: Mapping[str, str], body: bytes, now: datetime) -> bool:
    """What a receiver does (the example receiver and the tests): the three headers present, the
    timestamp within ``TOLERANCE`` of ``now``, and any ``v1`` entry of the signature matching in
    constant time. Entries of other versions are ignored, as the reference libraries do."""
    key = signing_key(secret)
    lower = {name.lower(): value for name, value in headers.items()}
    msg_id, stamp, signatures = (
        lower.get(ID_HEADER),
        lower.get(TIMESTAMP_HEADER),
        lower.get(SIGNATURE_HEADER),
    )
    if key is None or not (msg_id and stamp and signatures) or not stamp.isdigit():
        return False
    timestamp = int(stamp)
    if abs(now.timestamp() - timestamp) > TOLERANCE.total_seconds():
        return False
    expected = signature(key, msg_id, timestamp, body)
    return any(
        hmac.compare_digest(expected, entry)
        for entry in signatures.split(" ")
        if entry.startswith(f"{VERSION},")
    )
