"""Domain errors carry a translatable message (an English msgid) and its named arguments."""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


class DomainError(Exception):
    """A rule said no. ``message_key`` is translated where the error is shown."""

    message_key: str = N_("Something went wrong. Please try again.")
    code: str = "domain_error"

    def __init__(self, message_key: str | None = None, **params: Any) -> None:
        if message_key is not None:
            self.message_key = message_key
        self.params = params
        super().__init__(self.message_key.format(**params) if params else self.message_key)


class NotFound(DomainError):
    message_key = N_("Order not found.")
    code = "not_found"


class NotAllowed(DomainError):
    message_key = N_("You are not allowed to do this.")
    code = "not_allowed"


class IllegalTransition(DomainError):
    message_key = N_("This order is already {status}; nothing was changed.")
    code = "illegal_transition"

    def __init__(self, current: str, target: str) -> None:
        self.current = current
        self.target = target
        super().__init__(status=current)


class ButtonExpired(DomainError):
    """The message under a button is gone or too old for Telegram to tell us which it was."""

    message_key = N_("This button is no longer valid.")
    code = "button_expired"
