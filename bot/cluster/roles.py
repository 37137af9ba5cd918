"""What a process runs: ``python run_bot.py --role web|worker|all``."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    web = "web"  # the HTTP API and Telegram's updates (webhook, or polling under a lock)
    worker = "worker"  # delivery, timers, digest, carrier polling: one process at a time leads
    all = "all"  # both, in one process (the default; one machine, SQLite or PostgreSQL)

    @property
    def serves_updates(self) -> bool:
        return self in (Role.web, Role.all)

    @property
    def runs_duties(self) -> bool:
        return self in (Role.worker, Role.all)
