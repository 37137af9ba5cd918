from __future__ import annotations

import re
import subprocess
import sys
from datetime import time, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import ErasureSettings, Settings, describe_error
from bot.domain.languages import Language

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-token-abcdefghijklmnopqrstu"


def settings(**env: str) -> Settings:
    return Settings(_env_file=None, **env)  # type: ignore[call-arg]


def test_defaults_are_the_documented_ones():
    s = settings(bot_token=TOKEN)
    assert s.telegram_api_url == "https://api.telegram.org"
    assert s.database_url == "sqlite+aiosqlite:///./data/vykup.db"
    assert (s.api_host, s.api_port) == ("127.0.0.1", 8080)
    assert s.default_language is Language.uk and s.timezone == "Europe/Kyiv"
    assert s.confirm_reminder_after == timedelta(minutes=15)
    assert s.confirm_escalate_after == timedelta(minutes=60)


def test_environment_names_are_the_public_contract(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ADMIN_IDS", "1, 2,3")
    monkeypatch.setenv("MANAGER_CHAT_ID", "-100123")
    monkeypatch.setenv("CONFIRM_REMINDER_AFTER", "45s")
    monkeypatch.setenv("CONFIRM_ESCALATE_AFTER", "2h")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.admin_ids == {1, 2, 3}
    assert s.manager_chat_id == -100123
    assert s.confirm_reminder_after == timedelta(seconds=45)
    assert s.confirm_escalate_after == timedelta(hours=2)
    assert s.default_language is Language.en
    assert s.manager_language is None  # the managers read DEFAULT_LANGUAGE


@pytest.mark.parametrize(
    "name",
    [
        "MANAGER_CHAT_ID",
        "ALERTS_CHAT_ID",
        "SHOP_WEBHOOK_URL",
        "REDIS_URL",
        "SENTRY_DSN",
        "WEB_LINK_SECRET",
    ],
)
def test_a_setting_set_to_nothing_is_not_set(monkeypatch, name):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv(name, " ")
    assert getattr(Settings(_env_file=None), name.lower()) is None  # type: ignore[call-arg]


def test_the_web_confirmation_page_settings(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.web_link_secret is None and s.web_link_valid == timedelta(days=7)
    monkeypatch.setenv("WEB_LINK_SECRET", " " + "ab" * 16 + " ")
    monkeypatch.setenv("WEB_LINK_VALID", "3d")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.web_link_secret is not None
    assert s.web_link_secret.get_secret_value() == "ab" * 16
    assert s.web_link_valid == timedelta(days=3)
    monkeypatch.setenv("WEB_LINK_SECRET", "short")
    with pytest.raises(ValidationError, match="at least 32 random characters"):
        Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.mark.parametrize("name", ["SHOP_WEBHOOK_URL", "RETURN_PHOTOS_DIR", "REDIS_URL"])
def test_forget_reads_a_setting_set_to_nothing_as_not_set(monkeypatch, name):
    monkeypatch.setenv(name, "")
    assert getattr(ErasureSettings(_env_file=None), name.lower()) is None  # type: ignore[call-arg]


@pytest.mark.parametrize(("value", "expected"), [("ru", Language.ru), ("", None), (" ", None)])
def test_the_managers_chat_may_have_its_own_language(monkeypatch, value, expected):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("MANAGER_LANGUAGE", value)
    assert Settings(_env_file=None).manager_language is expected  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"bot_token": "nonsense"}, "BOT_TOKEN is invalid"),
        ({"bot_token": TOKEN, "admin_ids": "1,x"}, "ADMIN_IDS is invalid"),
        (
            {"bot_token": TOKEN, "confirm_reminder_after": "soon"},
            "CONFIRM_REMINDER_AFTER is invalid",
        ),
        ({"bot_token": TOKEN, "timezone": "Mars/Olympus"}, "TIMEZONE is invalid"),
    ],
)
def test_bad_settings_are_named(env, expected):
    with pytest.raises(ValidationError) as error:
        settings(**env)
    assert describe_error(error.value).startswith(expected)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "BOT_TOKEN is not set"),
        ("", "BOT_TOKEN is not set"),  # BOT_TOKEN= left empty in .env
        ("  ", "BOT_TOKEN is not set"),
        ("12:short", "BOT_TOKEN is invalid"),
    ],
)
def test_run_bot_without_a_good_token_exits_2_with_one_line(tmp_path, token, message):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db"}
    if token is not None:
        env["BOT_TOKEN"] = token
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert message in lines[0] and "Traceback" not in result.stderr
    assert lines[1:] == [
        "vykup: no bot token? Try every flow in a browser first: "
        ".venv/bin/python run_bot.py sandbox"
    ]


def test_run_bot_says_when_telegram_cannot_be_reached(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": "http://127.0.0.1:9",  # nothing listens on the discard port
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db",
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "cannot reach Telegram at http://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr and "Unclosed" not in result.stderr


def test_run_bot_with_a_plain_http_webhook_exits_2_with_one_line(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "BOT_TOKEN": TOKEN,
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": "http://bot.example.com/telegram",
        "WEBHOOK_SECRET": "s3cret",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "vykup: WEBHOOK_URL is invalid: Telegram posts updates only to https:// addresses, "
        "like https://bot.example.com/telegram"
    ]


def test_migrate_only_creates_the_schema(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "BOT_TOKEN": TOKEN,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/data/v.db",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), "migrate"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "data" / "v.db").exists()


def test_tracking_settings_parse_and_can_be_switched_off():
    s = settings(
        bot_token=TOKEN,
        quiet_hours="22:00-08:00",
        quiet_hours_mode="silent",
        pickup_reminders="arrival+1d@10:00",
        digest_at="off",
        nova_poshta_poll_interval="10m",
    )
    assert str(s.quiet_hours) == "22:00-08:00" and s.quiet_hours_mode == "silent"
    assert [str(rule) for rule in s.pickup_reminders] == ["arrival+1d@10:00"]
    assert s.digest_at is None and s.nova_poshta_poll_interval == timedelta(minutes=10)
    assert settings(bot_token=TOKEN).digest_at == time(10, 0)
    with pytest.raises(ValidationError) as error:
        settings(bot_token=TOKEN, pickup_reminders="tomorrow")
    assert describe_error(error.value).startswith("PICKUP_REMINDERS is invalid")


def test_quiet_hours_can_be_switched_off_in_the_environment(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("QUIET_HOURS", "off")
    s = settings()
    assert str(s.quiet_hours) == "off" and not s.quiet_hours.contains(time(3, 0))


def test_tracking_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("QUIET_HOURS", "22:00-08:00")
    monkeypatch.setenv("PICKUP_REMINDERS", "arrival+1d@10:00,storage-1d@11:00")
    s = settings()
    assert str(s.quiet_hours) == "22:00-08:00"
    assert [str(rule) for rule in s.pickup_reminders] == ["arrival+1d@10:00", "storage-1d@11:00"]


def test_risk_settings_have_the_documented_defaults_and_are_checked(monkeypatch):
    s = settings(bot_token=TOKEN)
    assert (s.risk_thresholds.risky_score, s.risk_thresholds.blacklist_refusals) == (40, 3)
    assert (s.risk_thresholds.blacklist_buyout, s.risk_thresholds.recent_days) == (50, 90)
    assert (s.risk_policies.risky.value, s.risk_policies.blacklisted.value) == ("alert", "hold")

    monkeypatch.setenv("RISK_POLICY_BLACKLISTED", "cancel")
    monkeypatch.setenv("RISK_BLACKLIST_REFUSALS", "4")
    custom = Settings(_env_file=None, bot_token=TOKEN)  # type: ignore[call-arg]
    assert custom.risk_policies.blacklisted.value == "cancel"
    assert custom.risk_thresholds.blacklist_refusals == 4

    for env, name in (
        ({"risk_blacklist_refusals": "1"}, "RISK_BLACKLIST_REFUSALS is invalid"),
        ({"risk_policy_risky": "shout"}, "RISK_POLICY_RISKY is invalid"),
        ({"risk_risky_score": "101"}, "RISK_RISKY_SCORE is invalid"),
    ):
        with pytest.raises(ValidationError) as error:
            settings(bot_token=TOKEN, **env)
        assert describe_error(error.value).startswith(name)


def test_return_settings_parse_and_are_checked(monkeypatch):
    s = settings(bot_token=TOKEN)
    rules = s.return_rules
    assert (rules.window_days, rules.review_sla) == (14, timedelta(hours=24))
    assert rules.reasons[-1].value == "other" and len(rules.reasons) == 7
    assert {reason.value for reason in rules.photo_reasons} == {
        "defect",
        "damaged",
        "differs",
        "wrong",
    }
    assert s.return_address is None

    monkeypatch.setenv("RETURN_REASONS", "size, defective, mind")
    monkeypatch.setenv("RETURN_PHOTO_REASONS", "defective")
    monkeypatch.setenv("RETURN_REVIEW_SLA", "4h")
    monkeypatch.setenv("RETURN_ADDRESS", "Нова пошта, Київ, відділення №1, ТОВ «Магазин»")
    custom = Settings(_env_file=None, bot_token=TOKEN)  # type: ignore[call-arg]
    assert [reason.value for reason in custom.return_rules.reasons] == [
        "size",
        "defect",
        "mind",
        "other",
    ]
    assert [reason.value for reason in custom.return_rules.photo_reasons] == ["defect"]
    assert custom.return_rules.review_sla == timedelta(hours=4)
    assert custom.return_address.startswith("Нова пошта")

    with pytest.raises(ValidationError) as error:
        settings(bot_token=TOKEN, return_reasons="size, broken")
    assert describe_error(error.value).startswith(
        "RETURN_REASONS is invalid: unknown return reason"
    )


def test_scale_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BOT_MODE", "webhook")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.com/telegram/updates")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret_token-1")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("LEADER_TAKEOVER", "30s")
    monkeypatch.setenv("TELEGRAM_MAX_PER_SECOND", "25")
    monkeypatch.setenv("LOG_FORMAT", "json")
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.bot_mode == "webhook" and s.webhook_path == "/telegram/updates"
    assert s.webhook_secret is not None and s.webhook_secret.get_secret_value() == "s3cret_token-1"
    assert s.redis_url == "redis://127.0.0.1:6379/2"
    assert s.leader_takeover == timedelta(seconds=30)
    assert (s.telegram_max_per_second, s.log_format) == (25, "json")


def test_a_self_hosted_bot_api_server_may_post_to_plain_http():
    """A Bot API server of one's own started with --local posts to http (it says so if not)."""
    s = settings(
        bot_token=TOKEN,
        telegram_api_url="http://127.0.0.1:8081",
        webhook_url="http://10.0.0.5:8080/telegram",
    )
    assert s.webhook_path == "/telegram"


def test_scale_defaults_are_one_polling_process():
    s = settings(bot_token=TOKEN, webhook_url="https://bot.example.com")
    assert (s.bot_mode, s.webhook_path, s.redis_url) == ("polling", "/", None)
    assert (s.leader_takeover, s.telegram_max_per_second) == (timedelta(seconds=15), 30)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"bot_mode": "webhook"}, "WEBHOOK_URL is not set: BOT_MODE=webhook needs it"),
        (
            {"bot_mode": "webhook", "webhook_url": "https://bot.example.com/t"},
            "WEBHOOK_SECRET is not set: BOT_MODE=webhook needs it",
        ),
        ({"webhook_secret": "has spaces"}, "WEBHOOK_SECRET is invalid: use 1-256 characters"),
        ({"webhook_url": "bot.example.com/t"}, "WEBHOOK_URL is invalid: write the public address"),
        ({"webhook_url": "http://bot.example.com/t"}, "WEBHOOK_URL is invalid: Telegram posts"),
        (
            {
                "webhook_url": "http://bot.example.com/t",
                "telegram_api_url": "https://api.telegram.org/",
            },
            "WEBHOOK_URL is invalid: Telegram posts updates only to https:// addresses",
        ),
        ({"bot_mode": "hook"}, "BOT_MODE is invalid"),
        ({"leader_takeover": "11m"}, "LEADER_TAKEOVER is invalid: must be between 1s and 10m"),
        ({"telegram_max_per_second": "5000"}, "TELEGRAM_MAX_PER_SECOND is invalid"),
        ({"log_format": "xml"}, "LOG_FORMAT is invalid"),
    ],
)
def test_bad_scale_settings_are_named(env, expected):
    with pytest.raises(ValidationError) as error:
        settings(bot_token=TOKEN, **env)
    assert describe_error(error.value).startswith(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7d", timedelta(days=7)), ("36h", timedelta(hours=36)), ("off", None), ("", None)],
)
def test_delivery_history_is_kept_as_long_as_told(monkeypatch, value, expected):
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DELIVERY_HISTORY_KEEP", value)
    assert Settings(_env_file=None).delivery_history_keep == expected  # type: ignore[call-arg]


def test_delivery_history_is_kept_30_days_by_default_and_at_least_one():
    assert settings(bot_token=TOKEN).delivery_history_keep == timedelta(days=30)
    for value, message in [
        ("12h", "DELIVERY_HISTORY_KEEP is invalid: keep at least 1d (or write off"),
        ("forever", "DELIVERY_HISTORY_KEEP is invalid: 'forever' is not a duration"),
    ]:
        with pytest.raises(ValidationError) as error:
            settings(bot_token=TOKEN, delivery_history_keep=value)
        assert describe_error(error.value).startswith(message)


def test_every_setting_is_in_env_example_and_the_readme_and_the_example_loads():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for field in Settings.model_fields:
        name = field.upper()
        assert re.search(rf"^#?\s*{name}=", example, re.MULTILINE), f"{name} not in .env.example"
        assert f"`{name}`" in readme, f"{name} not in the README's settings"
    loaded = Settings(_env_file=ROOT / ".env.example", bot_token=TOKEN)  # type: ignore[call-arg]
    assert loaded.delivery_history_keep == timedelta(days=30)
