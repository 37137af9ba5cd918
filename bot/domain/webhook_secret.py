"""The form of ``SHOP_WEBHOOK_SECRET``: Standard Webhooks' ``whsec_<base64>``, or the older plain
text (which signs only the deprecated header). Spec 1.0.0, "Signature scheme": the HMAC key is
the base64-decoded part after the prefix, 24 to 64 random bytes."""

from __future__ import annotations

import base64
import binascii

SECRET_PREFIX = "whsec_"
KEY_BYTES = range(24, 65)


class InvalidSecret(ValueError):
    """A ``whsec_`` secret whose rest is not base64 of 24 to 64 bytes."""


def signing_key(secret: str) -> bytes | None:
    """The HMAC key of a ``whsec_`` secret; None for a secret in the older, plain form."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error:
        raise InvalidSecret("after 'whsec_' it must be base64") from None
    if len(key) not in KEY_BYTES:
        raise InvalidSecret(f"it must stand for 24 to 64 random bytes, not {len(key)}")
    return key
