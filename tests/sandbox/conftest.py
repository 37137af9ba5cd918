"""A running sandbox (the real bot, the stand-in, the page's server) for tests to drive."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import ShiftedClock
from bot.i18n import Catalogs
from bot.sandbox.guard import TOKEN_HEADER
from bot.sandbox.session import Sandbox, SandboxOptions
from bot.sandbox.web import create_page_app


@dataclass
class Page:
    """The page's server as the browser's JavaScript talks to it."""

    sandbox: Sandbox
    client: TestClient
    token: str = ""  # read from the served page, as its script does

    @property
    def headers(self) -> dict[str, str]:
        return {TOKEN_HEADER: self.token}

    async def open(self) -> None:
        html = await (await self.client.get("/")).text()
        found = re.search(r'<meta name="sandbox-token" content="([^"]+)">', html)
        assert found, "the page carries no token"
        self.token = found[1]

    async def post(self, path: str, body: Any = None, status: int = 200) -> dict[str, Any]:
        response = await self.client.post(path, json=body or {}, headers=self.headers)
        answer = await response.json()
        assert response.status == status, answer
        return answer

    async def state(self) -> dict[str, Any]:
        response = await self.client.get("/api/state")
        assert response.status == 200
        return await response.json()

    async def create_order(self, who: str = "customer") -> dict[str, Any]:
        order = (await self.state())["shop"]["examples"][who]
        answer = await self.post("/api/shop/orders", {"order": json.dumps(order)})
        assert answer["status"] == 201, answer
        return answer["answer"]


@asynccontextmanager
async def open_page(tmp_path: Path, clock: ShiftedClock | None = None) -> AsyncIterator[Page]:
    """A sandbox running behind its page's server, opened as the browser opens it."""
    sandbox = Sandbox(SandboxOptions(tmp_path, read_env_file=False), clock=clock)
    server = TestServer(create_page_app(sandbox, Catalogs(ZoneInfo("Europe/Kyiv"))))
    async with TestClient(server) as client:
        sandbox.page_url = str(server.make_url("")).rstrip("/")
        async with sandbox.running():
            page = Page(sandbox, client)
            await page.open()
            yield page


@pytest.fixture
async def page(tmp_path: Path) -> AsyncIterator[Page]:
    async with open_page(tmp_path) as opened:
        yield opened
