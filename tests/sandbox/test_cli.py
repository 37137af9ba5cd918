"""``python run_bot.py sandbox`` as a newcomer runs it: no token, one line saying where to look."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READY = "vykup: the sandbox is ready at "
STOPS_WITHIN = 2.0  # seconds from Ctrl+C to the prompt


def _long_poll(url: str, version: str) -> None:
    with contextlib.suppress(OSError):  # cut off when the sandbox stops: what a page sees too
        urllib.request.urlopen(f"{url}?version={version}", timeout=30).read()


def test_the_sandbox_starts_without_a_token_and_stops_on_ctrl_c(tmp_path: Path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "run_bot.py"), "sandbox", "--no-browser", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)  # a bounded wait for the line
        assert ready, "the sandbox said nothing within 60 s"
        line = process.stdout.readline()
        assert line.startswith(READY), (line, process.stderr.read() if process.poll() else "")
        url = line.removeprefix(READY).split()[0]
        with urllib.request.urlopen(url, timeout=10) as response:
            assert "sandbox.js" in response.read().decode()
        with urllib.request.urlopen(f"{url}api/state", timeout=10) as response:
            state = json.loads(response.read())
        assert state["customer"]["started"] is False
        # The page always has a long poll open: Ctrl+C must not wait for it.
        polling = threading.Thread(target=_long_poll, args=(f"{url}api/state", state["version"]))
        polling.start()
        time.sleep(0.3)  # the poll reaches the server; nothing to await from here
        asked = time.monotonic()
        process.send_signal(signal.SIGINT)
        said, _, _ = select.select([process.stdout], [], [], 2)
        assert said and process.stdout.readline().strip() == "vykup: stopping…"
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - asked < STOPS_WITHIN
        polling.join(timeout=10)
        assert not list(tmp_path.glob("**/*.db"))  # nothing left behind, nothing in ./data
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
