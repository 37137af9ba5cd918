"""LOG_FORMAT=json gives one JSON object a line; phones are masked in messages and tracebacks."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot.config import LogFormat
from bot.logs import setup_logging


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def fail_with_phone() -> None:
    raise ValueError("no chat for +380501234567")


def test_json_lines_with_masked_phones(root_logging: None, capsys: pytest.CaptureFixture[str]):
    setup_logging("info", LogFormat.json)
    log = logging.getLogger("bot.delivery")
    log.info("customer %s blocked the bot", "+380671112233")
    try:
        fail_with_phone()
    except ValueError:
        log.exception("outbox %s failed", 17)
    log.debug("not shown at INFO")

    lines = capsys.readouterr().err.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["message"] for r in records] == [
        "customer +38067***2233 blocked the bot",
        "outbox 17 failed",
    ]
    assert {r["level"] for r in records} == {"INFO", "ERROR"}
    assert all(r["logger"] == "bot.delivery" and r["time"] and r["process"] for r in records)
    assert "ValueError: no chat for +38050***4567" in records[1]["exc_info"]
    assert "+380501234567" not in "\n".join(lines)


def test_text_lines_mask_tracebacks_too(root_logging: None, capsys: pytest.CaptureFixture[str]):
    setup_logging("warning", LogFormat.text)
    try:
        fail_with_phone()
    except ValueError:
        logging.getLogger("bot").exception("lost %s", "0501234567")

    text = capsys.readouterr().err
    assert " ERROR bot: lost 050***4567" in text
    assert "no chat for +38050***4567" in text and "+380501234567" not in text
