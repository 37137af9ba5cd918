"""Who an admin command is about: ``/rating +380501234567``, ``/rating A-1001``, ``/rating @olena``.

The first words of the arguments name the customer — a phone (spaces allowed, as people type
them), an order number or a Telegram @username — and the rest is the command's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from bot.domain.phones import InvalidPhone, normalise_phone

PHONE_PART: Final = re.compile(r"^[+\d()\-]+$")
USERNAME: Final = re.compile(r"^@([A-Za-z0-9_]{3,32})$")
MIN_PHONE_DIGITS: Final = 9
MAX_ORDER_ID: Final = 64


class TargetKind(StrEnum):
    phone = "phone"
    order = "order"
    username = "username"
    bad_phone = "bad_phone"  # looks like a phone but is not one; may still be an order number
    bad_username = "bad_username"


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    value: str  # E.164 phone, order number, or username without "@"
    text: str  # as the admin typed it


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _is_phone(text: str) -> bool:
    try:
        normalise_phone(text)
    except InvalidPhone:
        return False
    return True


def split_target(args: str) -> tuple[str, str]:
    """(the words naming the customer, the rest). Empty strings when ``args`` is blank."""
    words = args.split()
    if not words:
        return "", ""
    phone_words = 0
    for word in words:
        if not PHONE_PART.match(word):
            break
        phone_words += 1
    taken = 1
    # The longest run of phone-like words that is a valid phone: "+380 50 123 45 67 reason".
    for count in range(phone_words, 1, -1):
        if _is_phone(" ".join(words[:count])):
            taken = count
            break
    else:
        # No valid phone, but clearly an attempt at one ("+380 00 …", "(050) …", "050 …"):
        # keep it whole so the admin hears "not a valid phone", not "order +380 not found".
        first = words[0]
        if phone_words > 1 and (
            first.startswith(("+", "(")) or (first.startswith("0") and _digits(first) < 5)
        ):
            taken = phone_words
    return " ".join(words[:taken]), " ".join(words[taken:])


def classify(text: str) -> Target:
    text = text.strip()
    if text.startswith("@"):
        match = USERNAME.match(text)
        if match is None:
            return Target(TargetKind.bad_username, text, text)
        return Target(TargetKind.username, match.group(1), text)
    if PHONE_PART.match(text.replace(" ", "")) and _digits(text) >= MIN_PHONE_DIGITS:
        try:
            return Target(TargetKind.phone, normalise_phone(text), text)
        except InvalidPhone:
            return Target(TargetKind.bad_phone, text.replace(" ", ""), text)
    return Target(TargetKind.order, text[:MAX_ORDER_ID], text)


def parse_target(args: str) -> tuple[Target | None, str]:
    """The target and the rest of the arguments; None when nothing names a customer."""
    head, rest = split_target(args)
    return (classify(head) if head else None), rest
