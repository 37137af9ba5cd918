"""Shopify's webhook signature: ``X-Shopify-Hmac-Sha256`` is the base64 HMAC-SHA256 of the raw
body keyed by the app's client secret (refdata ``shopify-webhooks-and-order-api.json``,
``webhook_delivery.hmac_check``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Final

SIGNATURE_HEADER: Final = "X-Shopify-Hmac-Sha256"


def sign(body: bytes, client_secret: str) -> str:
    """The header's value for ``body``: what Shopify (and the test fake) sends."""
    digest = hmac.new(client_secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name in any case: the framework may hand a plain dict."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def is_signed(headers: Mapping[str, str], body: bytes, client_secret: str) -> bool:
    """Whether the delivery carries Shopify's signature of exactly this body.

    As Shopify's own library does, an empty body or a missing header is refused; the comparison
    is constant-time over bytes, so a header with non-ASCII text is simply not equal.
    """
    given = header(headers, SIGNATURE_HEADER)
    if not body or not given or not client_secret:
        return False
    expected = sign(body, client_secret).encode("ascii")
    return hmac.compare_digest(expected, given.strip().encode("utf-8", "replace"))
