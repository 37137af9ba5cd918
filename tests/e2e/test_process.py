"""`python run_bot.py` as a shop owner runs it: starts, serves, confirms orders, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp

from bot.standin import TelegramStandin
from storage.uow import Database
from tests.e2e.conftest import TOKEN
from tests.e2e.shop import SHOP_TOKEN
from tests.factories import order_payload
from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]


async def test_run_bot_serves_and_stops_cleanly_on_sigterm(
    db: Database, database_url: str, tmp_path: Path
):
    telegram = TelegramStandin(TOKEN)
    olena = telegram.add_user(5001, "Олена", language_code="uk")
    olena.send_command("/start")  # she opened the bot before the bot process existed
    port = free_port()
    async with telegram.serve() as telegram_url:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": telegram_url,
            "DATABASE_URL": database_url,
            "API_PORT": str(port),
            "SHOP_API_TOKEN": SHOP_TOKEN,
            "LOG_LEVEL": "WARNING",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "run_bot.py"),
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await telegram.wait_for_polling(timeout=60)
            greeting = await telegram.wait_for_message(olena.id, timeout=10)
            assert "номер" in greeting.visible  # /start from before the start was answered

            payload = order_payload(customer={"telegram_id": olena.id})
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
                    assert health.status == 200
                headers = {"Authorization": f"Bearer {SHOP_TOKEN}"}
                async with http.post(
                    f"http://127.0.0.1:{port}/api/v1/orders", json=payload, headers=headers
                ) as r:
                    assert r.status == 201
            card = await telegram.wait_for_message(olena.id, "A-1001", timeout=10)
            assert len(card.inline_buttons) == 3
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, stderr.decode()
        assert "Traceback" not in stderr.decode() and "Unclosed" not in stderr.decode()
        await telegram.wait_for_polling(active=False, timeout=5)

    async with db.uow() as uow:
        order = await uow.orders.by_external_id("A-1001")
        assert order is not None and order.card_message_id == card.message_id
        assert await uow.outbox.depth() == (0, None)


async def test_a_webhook_telegram_refuses_stops_the_start_with_one_line(
    database_url: str, tmp_path: Path
):
    """A self-hosted Bot API server without --local refuses a plain http webhook at start."""
    telegram = TelegramStandin(TOKEN)  # not local: https only, like Telegram's cloud
    port = free_port()
    async with telegram.serve() as telegram_url:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": telegram_url,
            "DATABASE_URL": database_url,
            "API_PORT": str(port),
            "BOT_MODE": "webhook",
            "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
            "WEBHOOK_SECRET": "s3cret",
            "LOG_LEVEL": "WARNING",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "run_bot.py"),
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    said = [line for line in stderr.decode().splitlines() if line.startswith("vykup:")]
    assert said == [
        "vykup: WEBHOOK_URL was refused by Telegram: "
        "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    ]
    assert "Traceback" not in stderr.decode() and "Unclosed" not in stderr.decode()
    assert telegram.world.webhook is None
