"""What the TurboSMS stand-in keeps: the messages it took, the requests it got, its refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

# Delivery status texts (``status`` of ``message/status.json``): the real ones are not in any
# source (facts: ``delivery_status_values``), so the stand-in defines its own; a bot using it maps
# them with TURBOSMS_STATUS_TEXTS, as a shop maps the real ones once it has seen them.
DELIVERED = "Delivered"
NOT_DELIVERED = "Undelivered"


class ApiError(Exception):
    """An envelope with an error code (HTTP 200, as the API answers every valid request)."""

    def __init__(self, code: int, result: Any = None) -> None:
        super().__init__(code)
        self.code = code
        self.result = result


@dataclass
class SentMessage:
    message_id: str
    phone: str  # digits, as the request named the recipient
    channel: str  # "viber" or "sms": what carries it (a hybrid send to a phone without Viber: sms)
    sender: str
    text: str
    block: dict[str, Any]  # the request's block for that channel, as it came
    hybrid: bool
    parts: int
    cost: Decimal
    at: datetime  # when it was taken, on the stand-in's clock
    sent: str  # the API's "YYYY-MM-DD HH:MM:SS" of ``at``
    updated: str
    code: int = 800  # 800 queued, 801 handed to the network
    status: str | None = None
    rejected_status: str | None = None
    click_time: str | None = None

    @property
    def button(self) -> tuple[str, str] | None:
        """A Viber message's button: its caption and where it leads."""
        caption, action = self.block.get("caption"), self.block.get("action")
        if self.channel == "viber" and isinstance(caption, str) and isinstance(action, str):
            return caption, action
        return None


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    auth: str | None  # "bearer", "basic", "get", "post" or None
    body: Any


def api_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def utc_now() -> datetime:
    return datetime.now(UTC)
