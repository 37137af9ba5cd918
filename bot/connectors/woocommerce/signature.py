"""WooCommerce's webhook signature, and the unsigned ping it sends when a webhook is created.

``X-WC-Webhook-Signature`` is base64 of the binary HMAC-SHA256 of the body exactly as sent, keyed
by the webhook's secret (``class-wc-webhook.php`` ``generate_signature()``, as summarised in
``refdata/shop-webhooks/woocommerce-webhooks-and-status-api.json``). WordPress escapes ``/`` and
non-ASCII in that JSON, so only the raw bytes can be checked, never a re-serialised body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Final

SIGNATURE_HEADER: Final = "X-WC-Webhook-Signature"
# ``deliver_ping()``: a form body ``webhook_id=<id>``, no X-WC-Webhook-* headers, no signature.
PING_BODY: Final = re.compile(rb"webhook_id=[0-9]{1,20}")


def webhook_signature(body: bytes, secret: str) -> str:
    """The header's value for ``body`` signed with ``secret``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name in any case (aiohttp's mapping is case-insensitive, a plain dict is not)."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def signature_matches(body: bytes, secret: str, signature: str | None) -> bool:
    """Whether ``signature`` is ``body``'s, compared in constant time."""
    if not signature or not secret:
        return False
    expected = webhook_signature(body, secret)
    return hmac.compare_digest(expected.encode(), signature.strip().encode("ascii", "replace"))


def is_ping(headers: Mapping[str, str], body: bytes) -> bool:
    """The creation ping: exactly ``webhook_id=<digits>`` and no signature (it carries nothing)."""
    return header(headers, SIGNATURE_HEADER) is None and PING_BODY.fullmatch(body) is not None
