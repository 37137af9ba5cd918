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
