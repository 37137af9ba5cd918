"""``message/status.json`` answers read into :class:`DeliveryState`.

Pure. Each item of ``response_result`` has ``message_id``, ``response_code``, ``response_status``
and, once the provider knows more, ``status`` (the delivery status text), ``type`` (``sms`` |
``viber``), ``rejected_status`` and ``click_time`` (Viber only) — refdata facts, ``methods`` →
``POST message/status.json``.

The literal values of ``status`` ("Delivered", …) were not found in any source the refdata was
built from (the facts record this as a gap), so no text is mapped here by guesswork: a non-empty
``status`` is ``unknown`` with the text kept in ``raw``, unless the caller passes ``texts`` (a
text → state table, matched without regard to case) learned from real answers. What the facts do
give is mapped:

- ``status`` null with item code 800 SUCCESS_MESSAGE_ACCEPTED → ``queued``; 801 SUCCESS_MESSAGE_SENT
  → ``sent`` (the only things known before a delivery report);
- a non-empty Viber ``rejected_status`` → ``rejected``;
- a Viber ``click_time`` → ``read`` (the button was pressed, so the message was opened);
- an item with an error code (414 NOT_ALLOWED_MESSAGE_ID: not this account's id) → ``unknown``
  with the code's status as ``raw``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.channels.base import DeliveryKind, DeliveryState
from bot.domain.outreach import Channel


def parse_statuses(
    result: Any, texts: Mapping[str, DeliveryKind] | None = None
) -> list[DeliveryState]:
    """Every readable item of the answer, in its order."""
    items = result if isinstance(result, list) else []
    known = {text.casefold(): kind for text, kind in (texts or {}).items()}
    return [state for item in items if (state := parse_item(item, known)) is not None]


def parse_item(item: Any, known: Mapping[str, DeliveryKind]) -> DeliveryState | None:
    if not isinstance(item, dict) or not item.get("message_id"):
        return None
    message_id = str(item["message_id"])
    channel = channel_of(item.get("type"))
    status = item.get("status")
    code = item.get("response_code")
    if item.get("rejected_status"):
        return DeliveryState(
            message_id, DeliveryKind.rejected, str(item["rejected_status"]), channel
        )
    if item.get("click_time"):
        return DeliveryState(message_id, DeliveryKind.read, text_or_none(status), channel)
    if isinstance(status, str) and status.strip():
        kind = known.get(status.strip().casefold(), DeliveryKind.unknown)
        return DeliveryState(message_id, kind, status, channel)
    raw = text_or_none(item.get("response_status"))
    if code == 800:
        return DeliveryState(message_id, DeliveryKind.queued, raw, channel)
    if code == 801:
        return DeliveryState(message_id, DeliveryKind.sent, raw, channel)
    return DeliveryState(message_id, DeliveryKind.unknown, raw, channel)


def channel_of(value: Any) -> Channel | None:
    try:
        return Channel(value)
    except ValueError:
        return None


def text_or_none(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None
