"""The real application (``tests/e2e``'s world: Telegram stand-in, shop webhooks) plus ``vykup
connect`` run as the shop owner runs it, from a ``.env`` with only DATABASE_URL and PUBLIC_URL."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli.invocation import Invocation
from bot.cli.main import main
from tests.e2e.conftest import (  # noqa: F401 - the fixtures, shared with the bot's own e2e tests
    World,
    extra_settings,
    standin_options,
    world,
)

Condition = Callable[[], bool]


@dataclass(frozen=True)
class Command:
    code: int
    out: str
    err: str


@pytest.fixture
def connect_cli(
    world: World,  # noqa: F811 - the fixture imported above, asked for by name
    database_url: str,
    tmp_path: Path,
) -> Callable[[list[str]], Awaitable[Command]]:
    """``vykup connect …`` through the real entry point, in a thread (it runs its own loop)."""
    env = tmp_path / ".env"
    env.write_text(
        f"DATABASE_URL={database_url}\nPUBLIC_URL=http://127.0.0.1:{world.app.api_port}\n",
        encoding="utf-8",
    )
    how = Invocation("vykup", "vykup", env)

    def run(argv: list[str]) -> Command:
        out, err = io.StringIO(), io.StringIO()
        # The command sets up the process's logging as it does in a terminal (to this stderr):
        # the running bot's logs go back to pytest's capture afterwards, not to a dead buffer.
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(["connect", *argv], how)
            except SystemExit as exit_:
                code = int(exit_.code or 0)
            finally:
                root.handlers[:], root.level = handlers, level
        return Command(code, out.getvalue(), err.getvalue())

    async def connect(argv: list[str]) -> Command:
        return await asyncio.to_thread(run, argv)

    return connect


async def eventually(condition: Condition, what: str, timeout: float = 5.0) -> None:
    """Until the platform shows what the worker sent it: the fake's state has no event to await,
    so it is looked at every few milliseconds, for at most ``timeout``."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 - a remote fake's state: nothing to await
            await asyncio.sleep(0.01)
    assert condition(), what


async def link_olena(world: World) -> None:  # noqa: F811 - a parameter, not the fixture
    """Olena opens the bot and shares her phone: her waiting orders' cards come."""
    world.olena.send_command("/start")
    await world.telegram.wait_for_message(world.olena.id, "номер")
    world.olena.share_contact(phone="+380501234567", user_id=world.olena.id)
