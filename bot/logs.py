"""Logging for every command: plain lines, or one JSON object a line (LOG_FORMAT=json).

Phone numbers and IBANs are masked in every record, message and traceback alike (bot/log_privacy.py).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from bot.config import LogFormat
from bot.log_privacy import PhoneMaskingFilter, mask_private

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = ("asctime", "levelname", "name", "message", "process")


class MaskedJsonFormatter(JsonFormatter):
    """JSON lines whose every string value (tracebacks included) has its phone numbers and IBANs masked."""

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: _masked(value) for key, value in super().process_log_record(log_data).items()}


class MaskedTextFormatter(logging.Formatter):
    """Plain lines; tracebacks are masked too (the filter masks only the message)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_private(super().format(record))


def _masked(value: Any) -> Any:
    return mask_private(value) if isinstance(value, str) else value


def setup_logging(level: str, log_format: LogFormat) -> None:
    """Configure the root logger once, for the whole process."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format is LogFormat.json:
        handler.setFormatter(
            MaskedJsonFormatter(
                list(JSON_FIELDS),
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                json_ensure_ascii=False,
            )
        )
    else:
        handler.setFormatter(MaskedTextFormatter(TEXT_FORMAT))
    handler.addFilter(PhoneMaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
