"""Outbox rows become aiogram methods; errors become outcomes."""

from __future__ import annotations

import aiohttp
import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import EditMessageText, SendMediaGroup, SendMessage
from aiogram.types import (
    Chat,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from pydantic import ValidationError

from bot.delivery.outcomes import (
    RETRY_REASONS,
    Failed,
    RateLimited,
    Retry,
    Sent,
    Unreachable,
    classify_telegram_error,
    classify_webhook_error,
)
from bot.delivery.telegram_call import UnsupportedMethod, build_method, sent_ids
from bot.delivery.webhooks import WebhookRejected
from tests.delivery.fakes import NOT_MODIFIED

KEYBOARD = {"inline_keyboard": [[{"text": "Confirm", "callback_data": "o:c:1"}]]}


def test_send_message_with_an_inline_keyboard() -> None:
    payload = {"chat_id": 5001, "text": "<b>Hi</b>", "parse_mode": "HTML", "reply_markup": KEYBOARD}
    method = build_method("sendMessage", payload)
    assert isinstance(method, SendMessage)
    assert method.chat_id == 5001
    assert method.parse_mode == "HTML"
    assert isinstance(method.reply_markup, InlineKeyboardMarkup)
    assert method.reply_markup.inline_keyboard[0][0].callback_data == "o:c:1"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ({"keyboard": [[{"text": "Share", "request_contact": True}]]}, ReplyKeyboardMarkup),
        ({"remove_keyboard": True}, ReplyKeyboardRemove),
        ({"force_reply": True}, ForceReply),
    ],
)
def test_other_markups_validate_into_their_types(markup: dict, expected: type) -> None:
    method = build_method("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": markup})
    assert isinstance(method.reply_markup, expected)


def test_edit_and_media_group() -> None:
    edit = build_method("editMessageText", {"chat_id": 1, "message_id": 9, "text": "new"})
    assert isinstance(edit, EditMessageText)
    assert edit.message_id == 9
    media = [{"type": "photo", "media": "AgAD1"}, {"type": "photo", "media": "AgAD2"}]
    group = build_method("sendMediaGroup", {"chat_id": 1, "media": media})
    assert isinstance(group, SendMediaGroup)
    assert [item.media for item in group.media] == ["AgAD1", "AgAD2"]


def test_unknown_methods_and_bad_payloads_are_refused() -> None:
    with pytest.raises(UnsupportedMethod):
        build_method("sendNuke", {"chat_id": 1})
    with pytest.raises(ValidationError):
        build_method("sendMessage", {"chat_id": 1})
    with pytest.raises(ValueError):
        build_method("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": {"odd": 1}})


def test_sent_ids() -> None:
    message = Message(message_id=77, date=0, chat=Chat(id=5001, type="private"))
    assert sent_ids(message) == (77, 5001)
    assert sent_ids([message, message]) == (77, 5001)
    assert sent_ids(True) == (None, None)


METHOD = SendMessage(chat_id=1, text="x")


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (TelegramRetryAfter(METHOD, "Too Many Requests: retry after 3", 3), RateLimited),
        (TelegramForbiddenError(METHOD, "Forbidden: bot was blocked by the user"), Unreachable),
        (TelegramBadRequest(METHOD, "Bad Request: chat not found"), Unreachable),
        (TelegramBadRequest(METHOD, NOT_MODIFIED), Sent),
        (TelegramBadRequest(METHOD, "Bad Request: can't parse entities"), Failed),
        (TelegramMigrateToChat(METHOD, "Bad Request: group upgraded", -1001), Failed),
        (TelegramServerError(METHOD, "Internal Server Error"), Retry),
        (TelegramNetworkError(METHOD, "timeout"), Retry),
        (TelegramUnauthorizedError(METHOD, "Unauthorized"), Retry),
        (UnsupportedMethod("nope"), Failed),
        (RuntimeError("surprise"), Retry),
    ],
)
def test_telegram_errors_become_outcomes(exc: Exception, expected: type) -> None:
    assert isinstance(classify_telegram_error(exc), expected)


def test_rate_limited_and_not_modified_carry_details() -> None:
    limited = classify_telegram_error(TelegramRetryAfter(METHOD, "Too Many Requests", 7))
    assert limited == RateLimited(7.0, "429 Too Many Requests: retry after 7")
    sent = classify_telegram_error(TelegramBadRequest(METHOD, NOT_MODIFIED), edited_message_id=12)
    assert sent == Sent(message_id=12, note=NOT_MODIFIED)
    failed = classify_telegram_error(TelegramBadRequest(METHOD, "Bad Request: can't parse"))
    assert failed == Failed("bad_request", "Bad Request: can't parse")


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (TelegramServerError(METHOD, "Bad Gateway"), "server_error"),
        (TelegramNetworkError(METHOD, "Request timeout error"), "network"),
        (TelegramUnauthorizedError(METHOD, "Unauthorized"), "unauthorized"),
        (TelegramNotFound(METHOD, "Not Found"), "not_found"),
        (RuntimeError("surprise"), "other"),
    ],
)
def test_telegram_retries_say_why_for_the_metrics(exc: Exception, reason: str) -> None:
    outcome = classify_telegram_error(exc)
    assert isinstance(outcome, Retry)
    assert outcome.reason == reason
    assert outcome.reason in RETRY_REASONS


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (WebhookRejected(503, "Service Unavailable"), "shop_rejected"),
        (aiohttp.ClientConnectionError("refused"), "network"),
        (TimeoutError(), "timeout"),
    ],
)
def test_webhook_retries_say_why_for_the_metrics(exc: Exception, reason: str) -> None:
    outcome = classify_webhook_error(exc)
    assert isinstance(outcome, Retry)
    assert (outcome.reason, bool(outcome.error)) == (reason, True)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (WebhookRejected(500, "Internal Server Error"), Retry),
        (WebhookRejected(404, "Not Found"), Retry),
        (aiohttp.ClientConnectionError("refused"), Retry),
        (TimeoutError(), Retry),
        (aiohttp.InvalidURL("not a url"), Failed),
        (KeyError("url"), Failed),
    ],
)
def test_webhook_errors_become_outcomes(exc: Exception, expected: type) -> None:
    assert isinstance(classify_webhook_error(exc), expected)
