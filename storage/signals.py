"""Names shared by the repositories that queue work and the unit of work that announces it."""

from __future__ import annotations

from typing import Any

# PostgreSQL: a commit that queued messages or timers notifies this channel, so the process that
# delivers them (maybe another one) wakes at once instead of at its next poll.
WAKE_CHANNEL = "vykup_wake"
# The session.info key under which the repositories note the kinds of work a transaction queued.
WORK_QUEUED = "vykup_work_queued"
OUTBOX_WORK = "outbox"  # a message to deliver: the delivery worker's
TIMER_WORK = "timers"  # a timer (re)scheduled: the timer scheduler's
ALL_WORK = frozenset({OUTBOX_WORK, TIMER_WORK})


def note_queued(info: dict[str, Any], kind: str) -> None:
    """Note in a session's ``info`` that its transaction queued work of ``kind``."""
    info.setdefault(WORK_QUEUED, set()).add(kind)


def take_queued(info: dict[str, Any]) -> frozenset[str]:
    """The kinds of work noted in ``info`` (and forget them: they are about to be announced)."""
    return frozenset(info.pop(WORK_QUEUED, ()))
