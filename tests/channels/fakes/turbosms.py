"""The tests' fake TurboSMS: the stand-in the sandbox uses too (:mod:`bot.standin.turbosms`, where
its rules and public API are described), and the refdata facts it was built from.

    fake = FakeTurboSms()
    async with serve(fake) as api_url: ...
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bot.standin.turbosms import (
    DELIVERED,
    NOT_DELIVERED,
    ApiError,
    Call,
    SentMessage,
    serve,
)
from bot.standin.turbosms import TurboSmsStandin as FakeTurboSms

DEFAULT_REFDATA = Path(__file__).resolve().parents[4] / "shared" / "refdata"
FACTS = "turbosms-http-api-facts.json"

__all__ = [
    "DELIVERED",
    "NOT_DELIVERED",
    "ApiError",
    "Call",
    "FakeTurboSms",
    "SentMessage",
    "load_facts",
    "serve",
    "status_names",
]


def refdata_dir() -> Path:
    override = os.environ.get("VYKUP_REFDATA_DIR")
    folder = (Path(override) if override else DEFAULT_REFDATA) / "sms"
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"sms reference data not found at {folder}")
        pytest.skip(f"sms reference data not found at {folder}")
    return folder


def load_facts() -> Any:
    return json.loads((refdata_dir() / FACTS).read_text(encoding="utf-8"))


def status_names() -> dict[int, str]:
    """The facts' code → status name, e.g. 105 → ``REQUIRED_AUTH``."""
    return {row["code"]: row["status"] for row in load_facts()["response_codes"]}
