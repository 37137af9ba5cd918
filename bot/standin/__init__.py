"""A strict local stand-in for the Telegram Bot API, for end-to-end tests.

Point a real aiogram ``Bot`` at it::

    standin = TelegramStandin("123456:TEST")
    async with standin.serve() as base_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(base_url))
        bot = Bot(standin.token, session=session)
"""

from __future__ import annotations

from bot.botapi.html import HtmlParseError, ParsedText, parse_html, visible_text
from bot.standin.actors import CallbackHandle, FakeUser
from bot.standin.errors import ApiError, StandinTimeout, StandinUsageError
from bot.standin.facade import FakeGroup, TelegramStandin
from bot.standin.limits import FloodConfig, FloodControl
from bot.standin.media import TINY_PNG
from bot.standin.records import (
    ApiCall,
    CallbackAnswer,
    ChatRecord,
    EditEvent,
    MessageVersion,
    StoredMessage,
    UserRecord,
)
from bot.standin.server import create_app

__all__ = [
    "TINY_PNG",
    "ApiCall",
    "ApiError",
    "CallbackAnswer",
    "CallbackHandle",
    "ChatRecord",
    "EditEvent",
    "FakeGroup",
    "FakeUser",
    "FloodConfig",
    "FloodControl",
    "HtmlParseError",
    "MessageVersion",
    "ParsedText",
    "StandinTimeout",
    "StandinUsageError",
    "StoredMessage",
    "TelegramStandin",
    "UserRecord",
    "create_app",
    "parse_html",
    "visible_text",
]
