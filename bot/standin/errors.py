"""Error envelopes of the Telegram Bot API as the stand-in returns them.

Strings marked (refdata) are copied from
``/work/shared/refdata/telegram/telegram-limits-and-protocol-notes.json``;
the others follow the same style and are the stand-in's best knowledge.
"""

from __future__ import annotations

from typing import Any, Literal

ErrorKind = Literal["validation", "limit", "state", "auth", "unknown_method", "conflict", "outage"]

#: error kinds that mean "the bot broke a rule" (tests usually assert there are none)
VIOLATION_KINDS: frozenset[str] = frozenset({"validation", "limit", "unknown_method", "auth"})

CHAT_NOT_FOUND = "chat not found"  # (refdata)
BLOCKED = "bot was blocked by the user"  # (refdata)
NOT_MODIFIED = (  # (refdata)
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"  # (refdata)
TEXT_EMPTY = "message text is empty"
TEXT_TOO_LONG = "message is too long"
RAW_TEXT_TOO_LONG = "text is too long"  # (refdata: server-side cap of 1<<15 bytes)
CAPTION_TOO_LONG = "message caption is too long"
BUTTON_DATA_INVALID = "BUTTON_DATA_INVALID"
BUTTON_URL_INVALID = "BUTTON_URL_INVALID"
CANT_EDIT = "message can't be edited"
EDIT_NOT_FOUND = "message to edit not found"
NO_TEXT_TO_EDIT = "there is no text in the message to edit"
DELETE_NOT_FOUND = "message to delete not found"
CANT_DELETE = "message can't be deleted"
COPY_NOT_FOUND = "message to copy not found"
FORWARD_NOT_FOUND = "message to forward not found"
MESSAGE_ID_MISSING = "message identifier is not specified"
CHAT_ID_EMPTY = "chat_id is empty"
CALLBACK_TEXT_TOO_LONG = "MESSAGE_TOO_LONG"
WRONG_FILE_ID = "wrong file identifier/HTTP URL specified"
FILE_UNAVAILABLE = "wrong file_id or the file is temporarily unavailable"
NO_PHOTO = "there is no photo in the request"
PHOTO_INVALID_DIMENSIONS = "PHOTO_INVALID_DIMENSIONS"  # width + height > 10000 or ratio > 20
PHOTO_TOO_BIG = "PHOTO_SAVE_FILE_INVALID"  # an uploaded photo over 10 MB
UNSUPPORTED_PARSE_MODE = "unsupported parse_mode"
MEDIA_COUNT = "media must include 2-10 items"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class ApiError(Exception):
    """A refused request: HTTP status, Telegram description and why it was refused."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        kind: ErrorKind,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.kind: ErrorKind = kind
        self.retry_after = retry_after

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str, kind: ErrorKind = "validation") -> ApiError:
    return ApiError(400, f"Bad Request: {detail}", kind=kind)


def chat_not_found() -> ApiError:
    return bad_request(CHAT_NOT_FOUND, kind="state")


def blocked() -> ApiError:
    return ApiError(403, f"Forbidden: {BLOCKED}", kind="state")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        kind="limit",
        retry_after=retry_after,
    )


# What the front of the real API answers while Telegram's servers are down (not JSON at all).
BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def bad_gateway() -> ApiError:
    return ApiError(502, "Bad Gateway", kind="outage")


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized", kind="auth")


def method_not_found() -> ApiError:
    return ApiError(404, "Not Found: method not found", kind="unknown_method")


class StandinUsageError(AssertionError):
    """A test asked the stand-in for something a real user could not do."""


class StandinTimeout(AssertionError):
    """A bounded wait on the stand-in expired."""
