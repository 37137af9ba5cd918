"""Long polling handles a bounded number of updates at once; the rest wait their turn."""

from __future__ import annotations

import asyncio

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

from bot.standin import TelegramStandin
from bot.telegram.polling import PollingLoop

TOKEN = "123456789:TEST-token-abcdefghijklmnopqrstuvwxyz"


async def test_a_burst_is_handled_a_few_updates_at_a_time() -> None:
    telegram = TelegramStandin(TOKEN)
    users = [telegram.add_user(7000 + n, f"User {n}") for n in range(40)]
    running = 0
    most = 0
    handled = 0
    all_handled = asyncio.Event()
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def slow(message: Message) -> None:
        nonlocal running, most, handled
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.02)
        running -= 1
        handled += 1
        if handled == len(users):
            all_handled.set()

    async with telegram.serve() as url:
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
        loop = PollingLoop(dispatcher, bot, timeout=1, at_once=4)
        polling = asyncio.create_task(loop.run())
        try:
            for user in users:
                user.send_command("/start")
            await asyncio.wait_for(all_handled.wait(), 10)
        finally:
            loop.stop()
            await asyncio.wait_for(polling, 10)
            await bot.session.close()
    assert handled == 40 and most == 4
