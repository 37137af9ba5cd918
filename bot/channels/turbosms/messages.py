"""The ``message/send.json`` request built from an :class:`OutboundMessage`, and its answer read.

Pure. The body follows the refdata facts (``turbosms-http-api-facts.json``, ``methods`` →
``POST message/send.json``): ``recipients`` are digits without '+'; an ``sms`` block
``{sender, text}``; a ``viber`` block ``{sender, text, ttl?, caption?, action?}``. Hybrid sending
(Viber, SMS when Viber does not deliver) is both blocks in one request (the facts' ``hybrid``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from bot.channels.base import OutboundMessage
from bot.domain.outreach import Channel, ChannelPreference

MAX_CAPTION: Final = 30  # longer is refused with 408 NOT_ALLOWED_MESSAGE_BUTTON_TEXT_LENGTH

CHANNELS: Final[Mapping[ChannelPreference, tuple[Channel, ...]]] = {
    ChannelPreference.viber_then_sms: (Channel.viber, Channel.sms),
    ChannelPreference.sms: (Channel.sms,),
    ChannelPreference.viber: (Channel.viber,),
}


class InvalidMessage(ValueError):
    """The message cannot be sent as it is; caught before the provider would refuse it."""


def recipient_digits(e164: str) -> str:
    """``+380501234567`` → ``380501234567``, the form the API takes."""
    digits = e164.removeprefix("+")
    if not e164.startswith("+") or not digits.isdigit() or not 8 <= len(digits) <= 15:
        raise InvalidMessage(f"recipient is not an E.164 number: {e164!r}")
    return digits


def send_body(message: OutboundMessage, *, sms_sender: str, viber_sender: str) -> dict[str, Any]:
    """The JSON body of ``message/send.json`` for one message to one customer."""
    body: dict[str, Any] = {"recipients": [recipient_digits(message.recipient)]}
    channels = CHANNELS[message.preference]
    if Channel.sms in channels:
        if not message.sms_text:
            raise InvalidMessage(f"{message.preference} needs an SMS text")
        body["sms"] = {"sender": sms_sender, "text": message.sms_text}
    if Channel.viber in channels:
        body["viber"] = viber_block(message, viber_sender)
    if message.idempotency_key:
        # The API's own once-only guard: a repeated request with this id is executed once.
        body["sequence_id"] = message.idempotency_key
    return body


def viber_block(message: OutboundMessage, sender: str) -> dict[str, Any]:
    if not message.viber_text:
        raise InvalidMessage(f"{message.preference} needs a Viber text")
    block: dict[str, Any] = {"sender": sender, "text": message.viber_text}
    if message.ttl is not None:
        seconds = int(message.ttl.total_seconds())
        if seconds < 1:
            raise InvalidMessage("ttl must be at least a second")
        block["ttl"] = seconds  # an integer: a string is refused with 306 INVALID_TTL
    button = message.viber_button
    if button is not None:
        if len(button.caption) > MAX_CAPTION:
            raise InvalidMessage(f"the Viber button caption is over {MAX_CAPTION} characters")
        block["caption"] = button.caption
        block["action"] = button.url
    return block


@dataclass(frozen=True)
class RecipientAnswer:
    """One recipient's line of the answer: 800/801 with a ``message_id``, or a refusal code."""

    code: int
    status: str
    message_id: str | None


def recipient_answer(result: Any, phone: str) -> RecipientAnswer | None:
    """The answer's line for ``phone`` (digits). The facts give a list of
    ``{phone, response_code, message_id, response_status}`` as primary and an object keyed by
    phone as seen in one client's mock; both are read. None: no line for the phone."""
    entries: list[Any]
    if isinstance(result, list):
        entries = result
    elif isinstance(result, dict):
        entries = [
            {"phone": key, **value} if isinstance(value, dict) else value
            for key, value in result.items()
        ]
    else:
        return None
    lines = [entry for entry in entries if isinstance(entry, dict)]
    matching = [entry for entry in lines if str(entry.get("phone", "")).lstrip("+") == phone]
    if not matching and len(lines) == 1 and "phone" not in lines[0]:
        matching = lines
    if not matching:
        return None
    entry = matching[0]
    code = entry.get("response_code")
    message_id = entry.get("message_id")
    return RecipientAnswer(
        code if isinstance(code, int) and not isinstance(code, bool) else -1,
        str(entry.get("response_status") or ""),
        str(message_id) if isinstance(message_id, str | int) and message_id != "" else None,
    )
