"""The size benchmark's memory part: the whole bot (``run_bot.py``, in a process of its own so that
only its memory is counted) against the Telegram stand-in (in this process), on one database.

It starts, settles (polling, the delivery worker and the timers ran their first rounds), and its
resident memory (RSS) is read; then it does some work — new orders from the shop's API (each one
rated), ``/metrics`` scrapes, and the admin commands ``/stats``, ``/blacklisted``, ``/rating`` and
``/find`` from an admin in Telegram — and its memory is read again (and its peak, sampled every
0.1 s). How long the API took per order and the commands took to answer is noted as well.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil

from bench.size_queries import ADMIN_ID
from bot.standin import TelegramStandin

PROJECT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:SIZE-bench-token-abcdefghijklmnop"
SHOP_TOKEN = "size-bench-shop-token"
MANAGERS_CHAT = -100_700_001
SETTLE = 15.0  # seconds after the start before memory is read
START_TIMEOUT = 180.0
ANSWER_TIMEOUT = 600.0  # an admin command on a big database may take long: that is measured


@dataclass(frozen=True)
class Buyer:
    """A customer a new order is placed for: the phone, and the chat the bot may write to."""

    phone: str
    name: str
    telegram_id: int | None


@dataclass
class BotFigures:
    label: str
    started: float = 0.0  # seconds until polling and the API answered
    settled_rss: int = 0
    after_rss: int = 0
    peak_rss: int = 0
    intake: list[float] = field(default_factory=list)  # seconds per POST /api/v1/orders
    commands: dict[str, float] = field(default_factory=dict)  # seconds to the bot's answer
    log: Path | None = None

    @property
    def intake_median(self) -> float:
        return statistics.median(self.intake) if self.intake else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Memory:
    """Samples a process's RSS every 0.1 s and keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._task: asyncio.Task[None] | None = None

    def now(self) -> int:
        rss = int(self.process.memory_info().rss)
        self.peak = max(self.peak, rss)
        return rss

    async def _sample(self) -> None:
        while True:
            try:
                self.now()
            except psutil.Error:
                return
            await asyncio.sleep(0.1)

    def __enter__(self) -> Memory:
        self._task = asyncio.create_task(self._sample())
        return self

    def __exit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()


def order_body(external_id: str, buyer: Buyer) -> dict[str, object]:
    return {
        "external_id": external_id,
        "customer": {"phone": buyer.phone, "name": buyer.name, "telegram_id": buyer.telegram_id},
        "items": [{"sku": "SKU-001", "name": "Кросівки", "quantity": 1, "price": "1899.00"}],
        "total": "1899.00",
        "currency": "UAH",
        "payment": "cod",
        "delivery": {"carrier": "nova_poshta", "city": "Київ", "point": "Відділення №12"},
        "language": "uk",
    }


async def _wait_for_api(
    http: aiohttp.ClientSession, base: str, process: asyncio.subprocess.Process
) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise RuntimeError(f"the bot exited with {process.returncode} while starting")
        try:
            async with http.get(f"{base}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise TimeoutError("the bot's API did not answer")


async def _command(telegram: TelegramStandin, text: str, expect: str) -> float:
    """Send an admin command; seconds until the bot answered with ``expect`` (a method).

    A second passes first: Telegram lets a bot write to one chat once a second, so an answer
    right after the previous one would wait for that, not for the bot."""
    await asyncio.sleep(1.1)
    admin = telegram.user(ADMIN_ID)
    command, _, payload = text.partition(" ")
    began = time.perf_counter()
    admin.send_command(command, payload or None)
    await telegram.wait_for_call(
        expect,
        lambda call: call.ok and call.params.get("chat_id") in (ADMIN_ID, str(ADMIN_ID)),
        timeout=ANSWER_TIMEOUT,
    )
    return time.perf_counter() - began


async def run_bot(
    label: str,
    database_url: str,
    buyers: Sequence[Buyer],
    rating_phone: str,
    log_dir: Path,
    *,
    settle: float = SETTLE,
) -> BotFigures:
    figures = BotFigures(label, log=log_dir / f"bot-{label}.log")
    telegram = TelegramStandin(TOKEN, bot_username="vykup_size_bot")  # real limits
    admin = telegram.add_user(ADMIN_ID, "Адмін", language_code="uk")
    admin.record.has_started = True
    telegram.add_group(MANAGERS_CHAT, "Менеджери", [admin])
    for buyer in buyers:
        if buyer.telegram_id is not None:
            user = telegram.add_user(buyer.telegram_id, buyer.name, language_code="uk")
            user.record.has_started = True
    port = free_port()
    async with telegram.serve() as telegram_url, aiohttp.ClientSession() as http:
        env = {
            **os.environ,
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": telegram_url,
            "DATABASE_URL": database_url,
            "API_HOST": "127.0.0.1",
            "API_PORT": str(port),
            "SHOP_API_TOKEN": SHOP_TOKEN,
            "ADMIN_IDS": str(ADMIN_ID),
            "MANAGER_CHAT_ID": str(MANAGERS_CHAT),
            "DIGEST_AT": "off",
            "QUIET_HOURS": "00:00-00:00",  # no quiet hours: the run does not depend on the hour
            "LOG_LEVEL": "WARNING",
        }
        with figures.log.open("wb") as log:
            began = time.perf_counter()
            process = await asyncio.create_subprocess_exec(
                sys.executable, str(PROJECT / "run_bot.py"), env=env, cwd=PROJECT, stdout=log, stderr=log
            )  # fmt: skip
            try:
                base = f"http://127.0.0.1:{port}"
                await _wait_for_api(http, base, process)
                await telegram.wait_for_polling(timeout=START_TIMEOUT)
                figures.started = time.perf_counter() - began
                with Memory(process.pid) as memory:
                    await asyncio.sleep(settle)
                    figures.settled_rss = memory.now()
                    await _workload(figures, telegram, http, base, buyers, rating_phone)
                    await asyncio.sleep(5)
                    figures.after_rss = memory.now()
                    figures.peak_rss = memory.peak
            finally:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        await asyncio.wait_for(process.wait(), timeout=60)
                    except TimeoutError:
                        process.kill()
                        await process.wait()
    return figures


async def _workload(
    figures: BotFigures,
    telegram: TelegramStandin,
    http: aiohttp.ClientSession,
    base: str,
    buyers: Sequence[Buyer],
    rating_phone: str,
) -> None:
    run = f"{int(time.time()):x}"
    headers = {"Authorization": f"Bearer {SHOP_TOKEN}"}
    for number, buyer in enumerate(buyers):
        began = time.perf_counter()
        async with http.post(
            f"{base}/api/v1/orders", json=order_body(f"SIZE-{run}-{number}", buyer), headers=headers
        ) as response:
            await response.read()
            if response.status not in (200, 201):
                raise RuntimeError(f"POST /api/v1/orders answered {response.status}")
        figures.intake.append(time.perf_counter() - began)
    for _ in range(10):
        async with http.get(f"{base}/metrics") as response:
            await response.read()
    figures.commands["/rating"] = await _command(telegram, f"/rating {rating_phone}", "sendMessage")
    figures.commands["/find"] = await _command(telegram, "/find Бондаренко", "sendMessage")
    figures.commands["/blacklisted"] = await _command(telegram, "/blacklisted", "sendMessage")
    figures.commands["/stats 30d"] = await _command(telegram, "/stats 30d", "sendPhoto")
