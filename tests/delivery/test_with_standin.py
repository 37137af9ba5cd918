"""End to end: the worker with its real limits against the strict Telegram stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer

from bot.delivery.worker import OutboxWorker
from bot.domain.message_purposes import MessagePurpose
from bot.standin import TelegramStandin
from storage.uow import Database
from tests.delivery.conftest import QuickCloseSession, Unreachable
from tests.delivery.helpers import add_order, outbox, queue, queue_texts

pytestmark = pytest.mark.e2e
TOKEN = "123456789:AAE-delivery_test_token"
OLENA, PETRO, GONE, NEVER, MANAGERS = 5001, 5002, 5003, 5004, -1001234
ORDER_CARD, EDIT_ORDER_CARD = MessagePurpose.order_card, MessagePurpose.edit_order_card


@pytest.fixture
async def standin() -> AsyncIterator[TelegramStandin]:
    standin = TelegramStandin(TOKEN)  # real time, Telegram's limits switched on
    async with standin.serve():
        yield standin


@pytest.fixture
async def standin_bot(standin: TelegramStandin) -> AsyncIterator[Bot]:
    assert standin.base_url is not None
    bot = Bot(TOKEN, session=QuickCloseSession(api=TelegramAPIServer.from_base(standin.base_url)))
    try:
        yield bot
    finally:
        await bot.session.close()


async def test_real_limits_a_storm_and_unreachable_people(
    db: Database,
    standin: TelegramStandin,
    standin_bot: Bot,
    http: aiohttp.ClientSession,
    unreachable: Unreachable,
) -> None:
    olena = standin.add_user(OLENA, "Олена")
    olena.send_command("/start")
    standin.add_user(PETRO, "Петро").send_command("/start")
    gone = standin.add_user(GONE, "Was Here")
    gone.send_command("/start")
    gone.block_bot()
    standin.add_user(NEVER, "Never Started")
    standin.add_group(MANAGERS, "Managers", [olena])
    order_id = await add_order(db, telegram_id=OLENA)
    card = {"chat_id": OLENA, "text": "<b>Order A-1</b>: 900 UAH", "parse_mode": "HTML"}
    edited = {"text": "<b>Order A-1</b>: confirmed ✅", "parse_mode": "HTML"}
    await queue(
        db,
        ("sendMessage", OLENA, card, ORDER_CARD, order_id),
        ("editMessageText", OLENA, edited, EDIT_ORDER_CARD, order_id),
    )
    await queue_texts(db, PETRO, "one", "two")
    await queue_texts(db, MANAGERS, "Call Олена, please")
    await queue_texts(db, GONE, "you blocked me")
    await queue_texts(db, NEVER, "who are you")
    standin.force_storm(1, retry_after=1)
    worker = OutboxWorker(
        db, standin_bot, http=http, webhook_secret=None, on_unreachable=unreachable
    )

    await worker.drain(timeout=20)

    (card_message,) = standin.bot_messages(OLENA)
    assert card_message.visible == "Order A-1: confirmed ✅"
    assert [m.visible for m in standin.bot_messages(PETRO)] == ["one", "two"]
    assert [m.visible for m in standin.bot_messages(MANAGERS)] == ["Call Олена, please"]
    assert sorted(unreachable.chats) == [GONE, NEVER]
    assert standin.count_429 == 1  # only the forced storm: our pace never tripped a limit
    assert [c for c in standin.violations if c.status != 429] == []
    states = [row.state for row in (await outbox(db)).values()]
    assert states.count("sent") == 5
    assert states.count("failed") == 2
