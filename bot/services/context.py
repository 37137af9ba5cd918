"""What every use case needs besides the unit of work: settings and translations, passed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.languages import Language
from bot.domain.outreach import OutreachRules
from bot.domain.pickup import DEFAULT_SCHEDULE, ReminderRule, parse_schedule
from bot.domain.quiet_hours import QuietHours, QuietMode
from bot.domain.returns import ReturnRules
from bot.domain.risk import RiskPolicies, RiskThresholds
from bot.domain.stalls import StallLimits
from bot.i18n import Catalogs
from bot.texts.templates import Templates


@dataclass(frozen=True)
class ServiceContext:
    catalogs: Catalogs
    default_language: Language = Language.uk
    manager_language: Language | None = None  # None: the managers read default_language
    manager_chat_id: int | None = None
    alerts_chat_id: int | None = None  # what a person must fix; None: the managers' chat
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    webhook_url: str | None = None
    reminder_after: timedelta = timedelta(minutes=15)
    escalate_after: timedelta = timedelta(minutes=60)
    bot_username: str = ""
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Kyiv"))
    quiet_hours: QuietHours = field(default_factory=lambda: QuietHours.parse("21:00-09:00"))
    quiet_mode: QuietMode = QuietMode.defer
    pickup_rules: tuple[ReminderRule, ...] = field(
        default_factory=lambda: parse_schedule(DEFAULT_SCHEDULE)
    )
    templates: Templates = field(default_factory=Templates)
    risk_thresholds: RiskThresholds = field(default_factory=RiskThresholds)
    risk_policies: RiskPolicies = field(default_factory=RiskPolicies)
    return_rules: ReturnRules = field(default_factory=ReturnRules)
    return_address: str | None = None  # where and how to send returns (RETURN_ADDRESS)
    return_photos_dir: Path | None = None  # copies of return photos (RETURN_PHOTOS_DIR)
    erased_phone_salt: str | None = None  # ERASED_PHONE_HASH_SALT; None: keep no hash
    redis_url: str | None = None  # REDIS_URL: conversation state is there, not in the database
    public_url: str | None = None  # PUBLIC_URL: the bot's address as the world reaches it
    web_link_secret: str | None = None  # WEB_LINK_SECRET; None: no web confirmation page
    web_link_valid: timedelta = timedelta(days=7)  # WEB_LINK_VALID
    outreach: OutreachRules | None = None  # Viber/SMS to customers outside Telegram; None: off
    stall_limits: StallLimits = field(default_factory=StallLimits)  # STALL_*: stalled parcels
    # Carriers whose pickup points Vykup looks up (their key is set): the order's point is
    # checked after intake and the customer may choose another ("nova_poshta").
    point_carriers: frozenset[str] = frozenset()

    @property
    def managers_language(self) -> Language:
        return self.manager_language or self.default_language

    @property
    def webhook_enabled(self) -> bool:
        return bool(self.webhook_url)

    def can_change_point(self, carrier: str) -> bool:
        return carrier in self.point_carriers

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self.admin_ids

    def deep_link(self, token: str) -> str:
        return f"https://t.me/{self.bot_username}?start={token}"
