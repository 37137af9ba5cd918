"""Names shared by the repositories that queue work and the unit of work that announces it."""

from __future__ import annotations

# PostgreSQL: a commit that queued messages or timers notifies this channel, so the process that
# delivers them (maybe another one) wakes at once instead of at its next poll.
WAKE_CHANNEL = "vykup_wake"
# The session.info flag the repositories set when they queue work.
WORK_QUEUED = "vykup_work_queued"
