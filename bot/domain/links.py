"""The token in an order's deep link (``https://t.me/<bot>?start=<token>``)."""

from __future__ import annotations

import secrets


def new_link_token() -> str:
    """22 characters of ``A-Za-z0-9_-``: fits Telegram's 64-character /start payload."""
    return secrets.token_urlsafe(16)
