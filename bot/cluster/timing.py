"""How fast leadership moves: the election's tries and heartbeats, and how soon the database
notices a vanished holder (the lock's keepalives), all derived from one ``LEADER_TAKEOVER``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class ElectionTiming:
    retry: float
    heartbeat: float
    grace: float
    dead_peer_after: float  # how soon the database notices a holder whose machine vanished

    @classmethod
    def for_takeover(cls, takeover: timedelta) -> ElectionTiming:
        """Timings that hand the duty over within ``takeover`` in every case.

        Dead machine: the server notices after ``dead_peer_after`` (TCP keepalives), a candidate
        tries within ``retry`` and waits ``grace``: 1/3 + 1/4 + 1/4 of ``takeover``.
        """
        seconds = takeover.total_seconds()
        return cls(
            retry=seconds / 4,
            heartbeat=seconds / 5,
            grace=seconds / 4,
            dead_peer_after=seconds / 3,
        )
