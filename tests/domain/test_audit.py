from __future__ import annotations

from bot.domain.audit import AuditAction


def test_the_stored_values_stay() -> None:
    """The audit log keeps these for good: a value never changes."""
    assert {action.value for action in AuditAction} == {
        "blacklist",
        "unblock",
        "note",
        "flag",
        "approve",
        "prepay",
        "cancel",
        "take",
        "return",
        "forget",
        "nosms",
        "sms",
    }
