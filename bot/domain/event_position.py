"""Where an event stands in the shop's catch-up list: its writing transaction, then its row id."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class EventPosition:
    tx: int  # PostgreSQL's transaction id of the writer; 0 on SQLite (see OutboxRepository)
    id: int

    @classmethod
    def start(cls) -> EventPosition:
        """Before every event."""
        return cls(tx=0, id=0)
