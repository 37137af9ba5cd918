"""Phone numbers are the customer's identity; every spelling of one number is one customer."""

from __future__ import annotations

import hashlib
import hmac

import phonenumbers

DEFAULT_REGION = "UA"


class InvalidPhone(ValueError):
    """The text is not a valid phone number."""


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return the number in E.164 (``+380501234567``) or raise :class:`InvalidPhone`.

    ``0501234567``, ``+38 (050) 123-45-67`` and ``380501234567`` are the same number.
    """
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("empty phone number")
    digits = "".join(ch for ch in text if ch.isdigit())
    # Telegram contacts and some CRMs drop the '+': "380501234567".
    if not text.startswith("+") and len(digits) > 10:
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_hash(e164: str, salt: str) -> str:
    """HMAC-SHA256 of the phone keyed by the shop's salt (hex, 64 characters). Anyone with the
    salt can test a number against it: it is still personal data."""
    return hmac.new(salt.encode(), e164.encode(), hashlib.sha256).hexdigest()


def mask_phone(e164: str) -> str:
    """``+380501234567`` → ``+38050***4567`` for logs."""
    if len(e164) < 8:
        return "***"
    return f"{e164[:6]}***{e164[-4:]}"
