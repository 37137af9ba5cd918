"""What every use case needs besides the unit of work: settings and translations, passed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain.languages import Language
from bot.i18n import Catalogs


@dataclass(frozen=True)
class ServiceContext:
    catalogs: Catalogs
    default_language: Language = Language.uk
    manager_chat_id: int | None = None
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    webhook_url: str | None = None
    reminder_after: timedelta = timedelta(minutes=15)
    escalate_after: timedelta = timedelta(minutes=60)
    bot_username: str = ""

    @property
    def webhook_enabled(self) -> bool:
        return bool(self.webhook_url)

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self.admin_ids

    def deep_link(self, token: str) -> str:
        return f"https://t.me/{self.bot_username}?start={token}"
