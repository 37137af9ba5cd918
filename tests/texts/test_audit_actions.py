from __future__ import annotations

from bot.domain.audit import AuditAction
from bot.texts.risk import AUDIT_ACTION


def test_every_action_is_told_in_words() -> None:
    assert set(AUDIT_ACTION) == set(AuditAction)
    assert AUDIT_ACTION.get("return") == AUDIT_ACTION[AuditAction.return_step]
