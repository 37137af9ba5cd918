"""Phone numbers and IBANs never reach the logs (or Sentry) in full: a filter masks them in every
formatted record, and ``mask_private`` is what the formatters and Sentry's hook use."""

from __future__ import annotations

import logging
import re

# International numbers as stored (+380501234567) and as people type Ukrainian ones (0501234567).
PHONE = re.compile(r"(?<![\w+])(?:\+\d{10,14}|0\d{9})(?!\d)")
# An IBAN (ISO 13616): country, two check digits, 11 to 30 letters or digits, written whole or in
# groups of four (a refund's UA213223130000026007233566001, "UA21 3223 1300 0002 6007 2335 66…").
IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"
)


def _mask(number: str) -> str:
    """Keep the operator code and the last four digits: ``+38050***4567``, ``050***4567``."""
    return f"{number[:-7]}***{number[-4:]}"


def _mask_iban(iban: str) -> str:
    """Keep the country, the check digits and the last four: ``UA21***6001``."""
    compact = iban.replace(" ", "")
    return f"{compact[:4]}***{compact[-4:]}"


def mask_phones(text: str) -> str:
    return PHONE.sub(lambda match: _mask(match.group(0)), text)


def mask_ibans(text: str) -> str:
    return IBAN.sub(lambda match: _mask_iban(match.group(0)), text)


def mask_private(text: str) -> str:
    """Phones and IBANs masked (IBANs first: their digits are no phone number)."""
    return mask_phones(mask_ibans(text))


class PhoneMaskingFilter(logging.Filter):
    """Formats the record's message once, with phones and IBANs masked; exception text is left to
    the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_private(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
