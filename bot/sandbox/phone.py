"""The phone panel: the Viber messages and SMS the bot sent through the TurboSMS stand-in, per
phone, as each phone shows them (the text with its links, a Viber message's button)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox.cast import name_of
from bot.sandbox.render import text_with_links
from bot.standin.turbosms import SentMessage, TurboSmsStandin

WEB = ("http://", "https://")  # a Viber button opens a web address, nothing else


def phones_view(sms: TurboSmsStandin, tz: ZoneInfo) -> list[dict[str, Any]]:
    """Each phone that got a message, in the order of its first one; its messages oldest first."""
    phones: dict[str, list[dict[str, Any]]] = {}
    for message in sms.messages.values():  # in the order they were taken
        phones.setdefault(message.phone, []).append(message_view(message, tz))
    return [
        {"phone": f"+{digits}", "name": name_of(f"+{digits}"), "messages": messages}
        for digits, messages in phones.items()
    ]


def message_view(message: SentMessage, tz: ZoneInfo) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": message.message_id,
        "channel": message.channel,
        "sender": message.sender,
        "time": message.at.astimezone(tz).strftime("%H:%M"),
        "html": text_with_links(message.text),
    }
    button = message.button
    if button is not None and button[1].lower().startswith(WEB):
        view["button"] = {"text": button[0], "url": button[1]}
    return view
