"""Finding the system's Chromium for the browser tests (Playwright drives it), and where they
keep their screenshots (``data/``, not committed).

Without Chromium or Playwright a browser test skips, saying why; ``.ci/run`` installs both and
sets ``VYKUP_REQUIRE_BROWSER=1``, which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "data" / "screenshots"
WAIT_MS = 15_000


def chromium() -> str | None:
    found = os.environ.get("VYKUP_CHROMIUM") or next(
        (path for path in CHROMIUM_PATHS if Path(path).exists()), None
    )
    return found or shutil.which("chromium")


def missing(reason: str) -> NoReturn:
    if os.environ.get("VYKUP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser test must run here: {reason}")
    pytest.skip(f"{reason} (Debian: apt-get install chromium; CI installs it)")


def require_chromium() -> str:
    """The Chromium to launch, and Playwright importable; else skip (or fail in CI)."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        missing("the playwright package is not installed")
    executable = chromium()
    if executable is None:
        missing("Chromium is not installed")
    return executable
