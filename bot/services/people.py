"""Who is talking to the bot: the bits of a Telegram user the services need."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TelegramUser:
    id: int
    full_name: str
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True)
class MessageRef:
    """A message the person pressed a button on."""

    chat_id: int
    message_id: int


@dataclass(frozen=True)
class LinkHolder:
    """Whoever opened an order's web confirmation link: the signed link is their only proof."""

    link_token: str


# Who answers an order card: a customer in Telegram, or the holder of the order's web link.
Answerer = TelegramUser | LinkHolder
