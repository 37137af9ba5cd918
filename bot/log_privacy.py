"""Phone numbers never reach the logs in full: a filter masks them in every formatted record."""

from __future__ import annotations

import logging
import re

# International numbers as stored (+380501234567) and as people type Ukrainian ones (0501234567).
PHONE = re.compile(r"(?<![\w+])(?:\+\d{10,14}|0\d{9})(?!\d)")


def _mask(number: str) -> str:
    """Keep the operator code and the last four digits: ``+38050***4567``, ``050***4567``."""
    return f"{number[:-7]}***{number[-4:]}"


def mask_phones(text: str) -> str:
    return PHONE.sub(lambda match: _mask(match.group(0)), text)


class PhoneMaskingFilter(logging.Filter):
    """Formats the record's message once, masked; exception text is left to the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_phones(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
