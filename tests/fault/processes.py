"""Real ``run_bot.py`` processes for fault tests: started, watched through /metrics, killed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import TOKEN
from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    port: int
    role: str
    logs: list[dict[str, Any]] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def metrics(self) -> Samples:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{self.url}/metrics", timeout=aiohttp.ClientTimeout(total=5)) as response,
        ):
            text = await response.text()
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }

    async def sent(self) -> float:
        return (await self.metrics()).get(
            ("vykup_messages_total", (("outcome", "sent"), ("reason", ""))), 0.0
        )

    async def leads(self, duty: str = "worker") -> bool:
        return (await self.metrics()).get(("vykup_leader", (("duty", duty),)), 0.0) == 1.0

    async def wait_until(
        self, check: Callable[[BotProcess], Any], timeout: float, what: str
    ) -> None:
        """Poll the process (its /metrics) until ``check`` holds; fail with its logs if it dies."""
        async with asyncio.timeout(timeout):
            while True:
                if self.process.returncode is not None:
                    raise AssertionError(f"the {self.role} process exited: {self.tail()}")
                with contextlib.suppress(aiohttp.ClientError, OSError):
                    if await check(self):
                        return
                await asyncio.sleep(0.05)

    async def ready(self, timeout: float = 60) -> None:
        async def answers(process: BotProcess) -> bool:
            return bool(await process.metrics())

        await self.wait_until(answers, timeout, "answers /metrics")

    def kill(self) -> None:
        """kill -9: no goodbye, nothing flushed, connections cut by the kernel."""
        self.process.send_signal(signal.SIGKILL)

    async def stop(self, timeout: float = 20) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        return self.process.returncode or 0

    def tail(self, lines: int = 15) -> str:
        return "\n".join(str(record.get("message")) for record in self.logs[-lines:])

    async def _read_logs(self) -> None:
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            try:
                self.logs.append(json.loads(line))
            except ValueError:  # a traceback printed before logging was set up
                self.logs.append({"message": line.decode(errors="replace").rstrip()})


async def start_bot(
    *,
    role: str,
    telegram_url: str,
    database_url: str,
    cwd: Path,
    port: int | None = None,
    extra: Mapping[str, str] | None = None,
) -> BotProcess:
    """``python run_bot.py --role <role>`` configured only by its environment, logging JSON."""
    port = port or free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram_url,
        "DATABASE_URL": database_url,
        "API_PORT": str(port),
        "SHOP_API_TOKEN": "shop-token-for-tests",
        "DIGEST_AT": "off",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
        **(extra or {}),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "run_bot.py"),
        "--role",
        role,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    bot = BotProcess(process, port, role)
    bot._reader = asyncio.create_task(bot._read_logs())
    return bot
