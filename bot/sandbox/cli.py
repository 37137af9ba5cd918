"""``python run_bot.py sandbox``: start the sandbox and say where its page is."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import tempfile
import webbrowser
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.i18n import Catalogs
from bot.sandbox.session import Sandbox, SandboxOptions
from bot.sandbox.web import create_page_app

DEFAULT_PORT = 8090
PAGE_GRACE = 0.5  # seconds the page's requests in flight get to finish when the sandbox stops
log = logging.getLogger("vykup.sandbox")


async def serve_sandbox(
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    database_url: str | None = None,
    env_file: Path | None = None,
    open_browser: bool = True,
    out: TextIO = sys.stdout,
    stop: asyncio.Event | None = None,
) -> None:
    """Run until ``stop`` is set (or SIGINT/SIGTERM); a temporary SQLite file unless told."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
    with tempfile.TemporaryDirectory(prefix="vykup-sandbox-") as workdir:
        sandbox = Sandbox(SandboxOptions(Path(workdir), database_url, env_file=env_file))
        catalogs = Catalogs(ZoneInfo("Europe/Kyiv"))  # the page's words; no dates among them
        # A page's open long poll is answered at once on stop; anything else gets a moment.
        runner = web.AppRunner(
            create_page_app(sandbox, catalogs), access_log=None, shutdown_timeout=PAGE_GRACE
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, host, port)
            await site.start()
            bound_host, bound_port = runner.addresses[0][:2]
            sandbox.page_url = f"http://{bound_host}:{bound_port}"
            async with sandbox.running():
                print(
                    f"vykup: the sandbox is ready at {sandbox.page_url}/  (Ctrl+C stops it)",
                    file=out,
                )
                out.flush()
                if open_browser:
                    with contextlib.suppress(Exception):  # no browser on a server: the line above
                        webbrowser.open(f"{sandbox.page_url}/")
                await stop.wait()
                print("vykup: stopping…", file=out)
                out.flush()
                sandbox.close()
        finally:
            await runner.cleanup()
