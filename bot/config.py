"""Settings, read once in run_bot.py from the environment or a ``.env`` file and passed in."""

from __future__ import annotations

import re
from datetime import time, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.durations import parse_duration
from bot.domain.incidents import DEFAULT_WEBHOOK_GIVE_UP, MINIMUM_WEBHOOK_GIVE_UP
from bot.domain.languages import Language
from bot.domain.outreach import (
    DEFAULT_NOTICES,
    ChannelPreference,
    OutreachPurpose,
    OutreachRules,
    Prices,
    parse_channels,
    parse_notices,
)
from bot.domain.pickup import DEFAULT_SCHEDULE, ReminderRule, parse_schedule
from bot.domain.quiet_hours import QuietHours, QuietMode
from bot.domain.retention import DEFAULT_KEEP, DEFAULT_REFUND_DETAILS_KEEP, MINIMUM_KEEP
from bot.domain.returns import (
    DEFAULT_PHOTO_REASONS,
    DEFAULT_REASONS,
    ReturnReason,
    ReturnRules,
    parse_reasons,
)
from bot.domain.risk import RiskPolicies, RiskPolicy, RiskThresholds
from bot.domain.stalls import StallLimits
from bot.domain.webhook_secret import InvalidSecret, signing_key

PROJECT_DIR = Path(__file__).resolve().parent.parent
TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
# Telegram's rule for setWebhook's secret_token: 1-256 characters of A-Z a-z 0-9 _ -
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
TELEGRAM_CLOUD_HOST = "api.telegram.org"
MIN_LINK_SECRET = 32  # WEB_LINK_SECRET: 32 characters of openssl rand -hex are 128 bits
TURBOSMS_API_URL = "https://api.turbosms.ua"
DELIVERY_KINDS = (
    "queued",
    "sent",
    "delivered",
    "read",
    "not_delivered",
    "expired",
    "rejected",
    "unknown",
)


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class BotMode(StrEnum):
    polling = "polling"  # the bot asks Telegram for updates (one process at a time does)
    webhook = "webhook"  # Telegram posts updates to WEBHOOK_URL (any number of web processes)


def _none_if_blank(value: Any) -> Any:
    """A variable set to nothing (``MANAGER_CHAT_ID=``) is one not set."""
    return None if isinstance(value, str) and not value.strip() else value


class StorageSettings(BaseSettings):
    """What commands that only touch the database read (``migrate``, ``import``): no bot token.

    Same sources as :class:`Settings`: the environment, then ``.env`` beside ``run_bot.py``.
    """

    model_config = SettingsConfigDict(
        env_file=PROJECT_DIR / ".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
    )

    database_url: str = "sqlite+aiosqlite:///./data/vykup.db"
    timezone: str = "Europe/Kyiv"
    log_level: str = "INFO"
    log_format: LogFormat = LogFormat.text

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use a name like Europe/Kyiv") from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def check_public_url(value: str | None) -> str | None:
    """PUBLIC_URL: where the world reaches the bot (platforms' webhooks, later pages), no slash
    at the end."""
    if value is None:
        return None
    parsed = urlsplit(value.strip())
    if parsed.scheme not in ("https", "http") or not parsed.hostname or parsed.query:
        raise ValueError(
            "write the bot's public address without a query, like https://bot.example.com"
        )
    return value.strip().rstrip("/")


class ConnectSettings(StorageSettings):
    """What ``vykup connect`` reads: the database, and the address platforms deliver to."""

    public_url: str | None = None

    _blank_is_unset = field_validator("public_url", mode="before")(_none_if_blank)
    _public = field_validator("public_url")(check_public_url)


class ErasureSettings(StorageSettings):
    """What ``vykup forget`` reads besides the database: where the shop hears that a customer was
    erased, where copies of return photos and conversations are (no bot token needed)."""

    shop_webhook_url: str | None = None
    return_photos_dir: Path | None = None
    erased_phone_hash_salt: SecretStr | None = None
    redis_url: str | None = None  # where conversations are kept, if there

    _blank_is_unset = field_validator(
        "shop_webhook_url",
        "return_photos_dir",
        "erased_phone_hash_salt",
        "redis_url",
        mode="before",
    )(_none_if_blank)


class Settings(StorageSettings):
    """Every setting the bot reads. Names are a public contract: see ``.env.example``."""

    bot_token: SecretStr
    telegram_api_url: str = "https://api.telegram.org"
    manager_chat_id: int | None = None
    alerts_chat_id: int | None = None  # None: the managers' chat hears what needs fixing
    sentry_dsn: SecretStr | None = None  # errors to Sentry, phones and IBANs masked
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8080, ge=0, le=65535)
    shop_api_token: SecretStr | None = None
    shop_webhook_url: str | None = None
    shop_webhook_secret: SecretStr | None = None
    # The bot's public address: connected platforms deliver to <PUBLIC_URL>/connect/… .
    public_url: str | None = None
    # The web confirmation page (<PUBLIC_URL>/c/<token>): its links are signed with this secret
    # and work this long. None: the page is off (it answers 404) and no link is made.
    web_link_secret: SecretStr | None = None
    web_link_valid: timedelta = timedelta(days=7)
    default_language: Language = Language.uk
    manager_language: Language | None = None  # the managers' chat; None: DEFAULT_LANGUAGE
    confirm_reminder_after: timedelta = timedelta(minutes=15)
    confirm_escalate_after: timedelta = timedelta(minutes=60)

    # Tracking (Nova Poshta is polled only when a key is set)
    nova_poshta_api_key: SecretStr | None = None
    nova_poshta_api_url: str = "https://api.novaposhta.ua/v2.0/json/"
    nova_poshta_poll_interval: timedelta = timedelta(minutes=30)
    # Ukrposhta is polled only when a StatusTracking token is set (README, "Ukrposhta")
    ukrposhta_tracking_token: SecretStr | None = None
    ukrposhta_api_url: str = "https://www.ukrposhta.ua/status-tracking/0.0.1"
    ukrposhta_poll_interval: timedelta = timedelta(minutes=30)
    # NoDecode: "21:00-09:00" in the environment is text to parse, not JSON.
    quiet_hours: Annotated[QuietHours, NoDecode] = QuietHours(time(21, 0), time(9, 0))
    quiet_hours_mode: QuietMode = QuietMode.defer
    pickup_reminders: Annotated[tuple[ReminderRule, ...], NoDecode] = parse_schedule(
        DEFAULT_SCHEDULE
    )
    digest_at: time | None = time(10, 0)  # None (DIGEST_AT=off): no digest
    # Stalled parcels (README, "Stalled parcels"); None (off): the rule is not checked
    stall_not_shipped: timedelta | None = timedelta(days=2)
    stall_not_scanned: timedelta | None = timedelta(days=2)
    stall_in_transit: timedelta | None = timedelta(days=5)
    stall_storage_left: timedelta | None = timedelta(days=2)
    templates_file: Path | None = None

    # The customer rating (README, "The customer rating")
    risk_risky_score: int = Field(default=40, ge=1, le=100)
    risk_blacklist_refusals: int = Field(default=3, ge=2)  # one refusal never blacklists
    risk_blacklist_buyout: int = Field(default=50, ge=1, le=100)
    risk_recent_days: int = Field(default=90, ge=1)
    risk_policy_risky: RiskPolicy = RiskPolicy.alert
    risk_policy_blacklisted: RiskPolicy = RiskPolicy.hold

    # Returns (README, "Returns")
    return_window_days: int = Field(default=14, ge=1, le=365)
    return_reasons: Annotated[tuple[ReturnReason, ...], NoDecode] = DEFAULT_REASONS
    return_photo_reasons: Annotated[frozenset[ReturnReason], NoDecode] = DEFAULT_PHOTO_REASONS
    return_review_sla: timedelta = timedelta(hours=24)
    return_address: str | None = None
    return_photos_dir: Path | None = None

    # Running at scale (README, "Running at scale")
    bot_mode: BotMode = BotMode.polling
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    redis_url: str | None = None
    leader_takeover: timedelta = timedelta(seconds=15)
    telegram_max_per_second: int = Field(default=30, ge=1, le=1000)
    # None (DELIVERY_HISTORY_KEEP=off): keep every sent message and every timer that ran
    delivery_history_keep: timedelta | None = DEFAULT_KEEP
    # None (WEBHOOK_GIVE_UP=off): a delivery the shop refuses is retried for ever
    webhook_give_up: timedelta | None = DEFAULT_WEBHOOK_GIVE_UP
    # How often connected platforms' changed orders are read (None, CONNECT_CATCH_UP=off: never)
    connect_catch_up: timedelta | None = timedelta(minutes=10)

    # Viber and SMS for customers outside Telegram (README, "Customers outside Telegram")
    turbosms_token: SecretStr | None = None
    turbosms_api_url: str = TURBOSMS_API_URL
    # Delivery report texts → states, e.g. "Delivered=delivered,Undelivered=not_delivered"
    turbosms_status_texts: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    sms_sender: str | None = None
    viber_sender: str | None = None
    shop_name: str | None = None  # named in every message; None: SMS_SENDER
    outreach_channels: Annotated[ChannelPreference | None, NoDecode] = (
        ChannelPreference.viber_then_sms
    )
    outreach_after: timedelta = timedelta(minutes=2)
    outreach_max_per_day: int = Field(default=2, ge=1, le=20)
    outreach_notices: Annotated[frozenset[OutreachPurpose], NoDecode] = parse_notices(
        DEFAULT_NOTICES
    )
    sms_price: Decimal = Field(default=Decimal("0"), ge=0, max_digits=12, decimal_places=4)
    viber_price: Decimal = Field(default=Decimal("0"), ge=0, max_digits=12, decimal_places=4)
    outreach_monthly_budget: Decimal | None = Field(default=None, ge=0)
    sms_max_parts: int = Field(default=2, ge=1, le=10)
    outreach_per_second: int = Field(default=10, ge=1, le=1000)

    # Personal data (README, "Personal data")
    # None (REFUND_DETAILS_KEEP=off): IBANs and holders' names stay after the refund
    refund_details_keep: timedelta | None = DEFAULT_REFUND_DETAILS_KEEP
    # None (off): an erased customer leaves no trace; set: a salted hash of the phone stays
    erased_phone_hash_salt: SecretStr | None = None

    @field_validator("bot_token", mode="before")
    @classmethod
    def _blank_token_is_missing(cls, value: Any) -> Any:
        """``BOT_TOKEN=`` left empty in .env is "not set", the same as no line at all."""
        if isinstance(value, str) and not value.strip():
            raise PydanticCustomError("missing", "Field required")
        return value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_PATTERN.match(value.get_secret_value().strip()):
            raise ValueError("it looks malformed; a token is like 123456789:AAE... from @BotFather")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            try:
                return frozenset(int(part) for part in parts)
            except ValueError:
                raise ValueError(
                    "ADMIN_IDS must be Telegram user ids separated by commas"
                ) from None
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _quiet(cls, value: Any) -> Any:
        return QuietHours.parse(value) if isinstance(value, str) else value

    @field_validator("webhook_give_up")
    @classmethod
    def _give_up_long_enough(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value < MINIMUM_WEBHOOK_GIVE_UP:
            raise ValueError("give the shop at least 1h (or write off to retry for ever)")
        return value

    @field_validator(
        "delivery_history_keep",
        "webhook_give_up",
        "refund_details_keep",
        "connect_catch_up",
        "stall_not_shipped",
        "stall_not_scanned",
        "stall_in_transit",
        "stall_storage_left",
        mode="before",
    )
    @classmethod
    def _duration_or_off(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in ("", "off", "none"):
            return None
        return parse_duration(value) if isinstance(value, str) else value

    @field_validator("connect_catch_up")
    @classmethod
    def _catch_up_not_too_often(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value < timedelta(minutes=1):
            raise ValueError("at least 1m (or off): each round reads every platform's API")
        return value

    @field_validator("stall_not_shipped", "stall_not_scanned", "stall_in_transit")
    @classmethod
    def _stall_long_enough(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value < timedelta(hours=1):
            raise ValueError("at least 1h (or off): parcels are checked every hour")
        return value

    @field_validator("stall_storage_left")
    @classmethod
    def _whole_days(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and (value < timedelta(days=1) or value % timedelta(days=1)):
            raise ValueError("whole days, like 2d (or off): storage is counted in days")
        return value

    @property
    def stall_limits(self) -> StallLimits:
        return StallLimits(
            not_shipped=self.stall_not_shipped,
            not_scanned=self.stall_not_scanned,
            in_transit=self.stall_in_transit,
            storage_left=self.stall_storage_left,
        )

    @field_validator("delivery_history_keep", "refund_details_keep")
    @classmethod
    def _keep_long_enough(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value < MINIMUM_KEEP:
            raise ValueError("keep at least 1d (or write off to keep everything)")
        return value

    @field_validator("digest_at", mode="before")
    @classmethod
    def _clock_time(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in ("", "off", "none"):
            return None
        if isinstance(value, str):
            try:
                return time.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(f"{value!r} is not a time of day; write it like 10:00") from None
        return value

    @field_validator("templates_file", mode="before")
    @classmethod
    def _blank_path(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("pickup_reminders", mode="before")
    @classmethod
    def _schedule(cls, value: Any) -> Any:
        return parse_schedule(value) if isinstance(value, str) else value

    @field_validator(
        "confirm_reminder_after",
        "web_link_valid",
        "confirm_escalate_after",
        "nova_poshta_poll_interval",
        "ukrposhta_poll_interval",
        "return_review_sla",
        "leader_takeover",
        "outreach_after",
        mode="before",
    )
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return parse_duration(value) if isinstance(value, str) else value

    _public = field_validator("public_url")(check_public_url)

    @field_validator("web_link_secret")
    @classmethod
    def _link_secret_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        """Links are signed with it: a short secret could be guessed, and links forged."""
        if value is not None and len(value.get_secret_value().strip()) < MIN_LINK_SECRET:
            raise ValueError(
                f"use at least {MIN_LINK_SECRET} random characters (openssl rand -hex 32)"
            )
        return None if value is None else SecretStr(value.get_secret_value().strip())

    _blank_is_unset = field_validator(
        "shop_webhook_url",
        "public_url",
        "shop_api_token",
        "shop_webhook_secret",
        "nova_poshta_api_key",
        "ukrposhta_tracking_token",
        "sentry_dsn",
        "return_address",
        "return_photos_dir",
        "erased_phone_hash_salt",
        "web_link_secret",
        "turbosms_token",
        "sms_sender",
        "viber_sender",
        "shop_name",
        "outreach_monthly_budget",
        "webhook_url",
        "webhook_secret",
        "redis_url",
        "manager_chat_id",
        "alerts_chat_id",
        "manager_language",
        mode="before",
    )(_none_if_blank)

    @field_validator("leader_takeover")
    @classmethod
    def _takeover(cls, value: timedelta) -> timedelta:
        if not timedelta(seconds=1) <= value <= timedelta(minutes=10):
            raise ValueError("must be between 1s and 10m")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        parsed = urlsplit(value.strip())
        if parsed.scheme not in ("https", "http") or not parsed.hostname:
            raise ValueError(
                "write the public address Telegram posts updates to, like https://bot.example.com/telegram"
            )
        # Telegram's cloud refuses http in setWebhook; a self-hosted Bot API server started with
        # --local accepts it (and without --local refuses it at start, reported in one line too).
        api_host = urlsplit(str(info.data.get("telegram_api_url", ""))).hostname
        if parsed.scheme == "http" and api_host == TELEGRAM_CLOUD_HOST:
            raise ValueError(
                "Telegram posts updates only to https:// addresses, like https://bot.example.com/telegram"
            )
        return value.strip()

    @field_validator("shop_webhook_secret")
    @classmethod
    def _shop_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            try:
                signing_key(value.get_secret_value())
            except InvalidSecret as error:
                raise ValueError(
                    f"{error}: a Standard Webhooks secret is whsec_ and base64 of 24-64 random "
                    "bytes (README: 'Events back to the shop')"
                ) from None
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_PATTERN.match(value.get_secret_value()):
            raise ValueError("use 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value

    @field_validator("outreach_channels", mode="before")
    @classmethod
    def _channels(cls, value: Any) -> Any:
        if isinstance(value, ChannelPreference) or not isinstance(value, str):
            return value
        return parse_channels(value)

    @field_validator("outreach_notices", mode="before")
    @classmethod
    def _notices(cls, value: Any) -> Any:
        return parse_notices(value) if isinstance(value, str) else value

    @field_validator("outreach_monthly_budget", mode="before")
    @classmethod
    def _budget_or_off(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in ("off", "none"):
            return None
        return value

    @field_validator("turbosms_status_texts", mode="before")
    @classmethod
    def _status_texts(cls, value: Any) -> Any:
        """``Delivered=delivered,Undelivered=not_delivered``: the provider's report → a state."""
        if not isinstance(value, str):
            return value
        table: dict[str, str] = {}
        for pair in filter(None, (part.strip() for part in value.split(","))):
            text, sep, kind = pair.rpartition("=")
            if not sep or not text.strip() or kind.strip() not in DELIVERY_KINDS:
                raise ValueError(
                    f"{pair!r}: write TEXT=STATE, STATE one of {', '.join(DELIVERY_KINDS)}"
                )
            table[text.strip()] = kind.strip()
        return table

    @field_validator("sms_sender", "viber_sender", "shop_name")
    @classmethod
    def _sender(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None

    @model_validator(mode="after")
    def _outreach_complete(self) -> Settings:
        """With a TurboSMS token, outreach needs what its messages carry and who sends them."""
        preference = self.outreach_channels
        if self.turbosms_token is None or preference is None:
            return self
        channels = {channel.value for channel in preference.channels}
        if "sms" in channels and not self.sms_sender:
            raise ValueError(
                "SMS_SENDER is not set: OUTREACH_CHANNELS sends SMS, and TurboSMS needs the "
                "sender name registered in your account"
            )
        if "viber" in channels and not self.viber_sender:
            raise ValueError(
                "VIBER_SENDER is not set: OUTREACH_CHANNELS sends Viber messages (or set "
                "OUTREACH_CHANNELS=sms)"
            )
        if not self.public_url or self.web_link_secret is None:
            raise ValueError(
                "outreach needs PUBLIC_URL and WEB_LINK_SECRET: every message carries a link to "
                "the web confirmation page (or set OUTREACH_CHANNELS=off)"
            )
        return self

    @property
    def outreach_rules(self) -> OutreachRules | None:
        """What the use cases read; None when outreach is off (no token or OUTREACH_CHANNELS=off)."""
        if self.turbosms_token is None or self.outreach_channels is None:
            return None
        return OutreachRules(
            preference=self.outreach_channels,
            shop_name=self.shop_name or self.sms_sender or self.viber_sender or "",
            after=self.outreach_after,
            max_per_day=self.outreach_max_per_day,
            notices=self.outreach_notices,
            prices=Prices(sms=self.sms_price, viber=self.viber_price),
            monthly_budget=self.outreach_monthly_budget,
            max_parts=self.sms_max_parts,
        )

    @model_validator(mode="after")
    def _webhook_complete(self) -> Settings:
        if self.bot_mode is BotMode.webhook:
            if self.webhook_url is None:
                raise ValueError("WEBHOOK_URL is not set: BOT_MODE=webhook needs it")
            if self.webhook_secret is None:
                raise ValueError("WEBHOOK_SECRET is not set: BOT_MODE=webhook needs it")
        return self

    @property
    def webhook_path(self) -> str:
        """Where the web app listens for Telegram's posts: the path of WEBHOOK_URL."""
        return (urlsplit(self.webhook_url).path if self.webhook_url else "") or "/"

    @property
    def risk_thresholds(self) -> RiskThresholds:
        return RiskThresholds(
            risky_score=self.risk_risky_score,
            blacklist_refusals=self.risk_blacklist_refusals,
            blacklist_buyout=self.risk_blacklist_buyout,
            recent_days=self.risk_recent_days,
        )

    @field_validator("return_reasons", mode="before")
    @classmethod
    def _reasons(cls, value: Any) -> Any:
        return parse_reasons(value) if isinstance(value, str) else value

    @field_validator("return_photo_reasons", mode="before")
    @classmethod
    def _photo_reasons(cls, value: Any) -> Any:
        if isinstance(value, str):
            return (
                frozenset(parse_reasons(value)) - {ReturnReason.other}
                if value.strip()
                else frozenset()
            )
        return value

    @property
    def return_rules(self) -> ReturnRules:
        return ReturnRules(
            window_days=self.return_window_days,
            reasons=self.return_reasons,
            photo_reasons=self.return_photo_reasons,
            review_sla=self.return_review_sla,
        )

    @property
    def risk_policies(self) -> RiskPolicies:
        return RiskPolicies(risky=self.risk_policy_risky, blacklisted=self.risk_policy_blacklisted)


def describe_error(exc: Exception, env_file: Path | None = None) -> str:
    """One line for stderr that names the setting at fault, never a traceback.

    ``env_file``: the ``.env`` that was read, named in the hint for a missing setting.
    """
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return str(exc)
    first = errors()[0]
    name = str(first["loc"][0]).upper() if first.get("loc") else "settings"
    if first.get("type") == "missing":
        where = env_file or ".env beside run_bot.py"
        return f"{name} is not set: put it in {where} or in the environment (see .env.example)"
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    if not first.get("loc"):  # a rule across settings names them itself
        return message
    return f"{name} is invalid: {message}"
