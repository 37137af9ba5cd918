from __future__ import annotations

import pytest

from bot.domain.targets import TargetKind, parse_target


@pytest.mark.parametrize(
    ("args", "kind", "value", "rest"),
    [
        ("+380501234567", TargetKind.phone, "+380501234567", ""),
        ("+380 50 123 45 67 refused twice", TargetKind.phone, "+380501234567", "refused twice"),
        ("050-123-45-67 fraud", TargetKind.phone, "+380501234567", "fraud"),
        ("(050) 123 45 67", TargetKind.phone, "+380501234567", ""),
        ("A-1001 asked to call", TargetKind.order, "A-1001", "asked to call"),
        ("10023 12 boxes broken", TargetKind.order, "10023", "12 boxes broken"),
        ("@olena_k rude", TargetKind.username, "olena_k", "rude"),
        ("@o rude", TargetKind.bad_username, "@o", "rude"),
        ("+380 00 000 00 00", TargetKind.bad_phone, "+380000000000", ""),
        ("123456789012345", TargetKind.bad_phone, "123456789012345", ""),
    ],
)
def test_the_first_words_name_the_customer(
    args: str, kind: TargetKind, value: str, rest: str
) -> None:
    target, remainder = parse_target(args)
    assert target is not None
    assert (target.kind, target.value, remainder) == (kind, value, rest)


def test_nothing_names_nobody() -> None:
    assert parse_target("   ") == (None, "")
