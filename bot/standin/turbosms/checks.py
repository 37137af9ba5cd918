"""What ``message/send.json`` refuses before it takes anything: each rule with its facts' code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from bot.standin.turbosms.records import ApiError

MAX_CAPTION: Final = 30  # 408 NOT_ALLOWED_MESSAGE_BUTTON_TEXT_LENGTH beyond
SMS_FIELDS: Final = frozenset({"sender", "text", "is_flash"})
VIBER_FIELDS: Final = frozenset(
    {"sender", "text", "ttl", "image_url", "caption", "action", "count_clicks", "is_transactional"}
)


def block(
    body: Mapping[str, Any],
    name: str,
    known: frozenset[str],
    sender: str,
    ignored: list[str],
) -> dict[str, Any] | None:
    """The ``sms`` or ``viber`` block, checked; None when the request has none. Fields the API
    does not know are noted in ``ignored`` (it ignores them too)."""
    found = body.get(name)
    if found is None:
        return None
    if not isinstance(found, dict):
        raise ApiError(300)
    ignored.extend(f"{name}.{key}" for key in found if key not in known)
    if not found.get("sender"):
        raise ApiError(200)
    if not isinstance(found["sender"], str):
        raise ApiError(302)
    if found["sender"] != sender:
        raise ApiError(400)
    if "text" not in found or found["text"] in (None, ""):
        raise ApiError(201)
    if not isinstance(found["text"], str):
        raise ApiError(304)
    return found


def viber(viber: Mapping[str, Any]) -> None:
    """The ttl, the button's caption and action, and what a transactional message may carry."""
    if "ttl" in viber:
        ttl = viber["ttl"]
        if not isinstance(ttl, int) or isinstance(ttl, bool):
            raise ApiError(306)
        if ttl < 1:  # the facts give no lower limit: the stand-in chooses 1 s
            raise ApiError(409)
    caption, action = viber.get("caption"), viber.get("action")
    if caption and not action:
        raise ApiError(206)
    if action and not caption:
        raise ApiError(205)
    if caption and len(str(caption)) > MAX_CAPTION:
        raise ApiError(408)
    if viber.get("is_transactional") and (caption or action or viber.get("image_url")):
        raise ApiError(410)


def recipient_refusal(
    recipient: Any, seen: set[str], countries: Sequence[str], stopped: set[str]
) -> int | None:
    """The code one recipient is refused with, or None when it is taken."""
    phone = str(recipient)
    if not isinstance(recipient, str) or not phone.isdigit() or not 10 <= len(phone) <= 15:
        return 305
    if phone in seen:
        return 407
    if not phone.startswith(tuple(countries)):
        return 406
    if phone in stopped:
        return 404
    return None
