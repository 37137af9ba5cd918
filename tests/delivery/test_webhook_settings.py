"""Settings of the deliveries to the shop: the secret's form, give-up, and what the start says."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from pydantic import SecretStr, ValidationError

from bot.app import warn_about_signing
from bot.config import Settings, describe_error

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstu"
GOOD = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def settings(**env: str) -> Settings:
    return Settings(_env_file=None, bot_token=TOKEN, **env)  # type: ignore[call-arg]


@pytest.mark.parametrize("secret", [GOOD, "an older plain secret"])
def test_a_whsec_or_an_older_plain_secret_is_taken(secret: str) -> None:
    stored = settings(shop_webhook_secret=secret).shop_webhook_secret
    assert stored is not None and stored.get_secret_value() == secret


@pytest.mark.parametrize("secret", ["whsec_$$$", "whsec_c2hvcnQ="])
def test_a_malformed_whsec_secret_stops_the_start_naming_it(secret: str) -> None:
    with pytest.raises(ValidationError) as error:
        settings(shop_webhook_secret=secret)
    message = describe_error(error.value)
    assert message.startswith("SHOP_WEBHOOK_SECRET is invalid")
    assert "whsec_" in message
    assert secret not in message  # a secret is never echoed


@pytest.mark.parametrize(
    ("secret", "expected"),
    [
        (None, "SHOP_WEBHOOK_SECRET is not set: webhooks to the shop go out unsigned"),
        ("plain", "SHOP_WEBHOOK_SECRET is not a whsec_ secret"),
    ],
)
def test_an_unsafe_signing_setup_is_said_once_at_start(
    caplog: pytest.LogCaptureFixture, secret: str | None, expected: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        warn_about_signing(SecretStr(secret) if secret else None)
    (record,) = caplog.records
    assert record.getMessage().startswith(expected)


def test_a_whsec_secret_starts_without_a_word(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        warn_about_signing(SecretStr(GOOD))
    assert caplog.records == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3d", timedelta(days=3)),
        ("1h", timedelta(hours=1)),
        ("off", None),
        ("OFF", None),
        ("", None),
    ],
)
def test_webhook_give_up_takes_a_duration_or_off(value: str, expected: timedelta | None) -> None:
    assert settings(webhook_give_up=value).webhook_give_up == expected


def test_webhook_give_up_defaults_to_three_days_and_refuses_less_than_an_hour() -> None:
    assert settings().webhook_give_up == timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        settings(webhook_give_up="30m")
    assert describe_error(error.value).startswith("WEBHOOK_GIVE_UP is invalid: give the shop")
