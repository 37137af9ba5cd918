from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.domain.outreach import (
    Channel,
    ChannelPreference,
    OutreachPurpose,
    OutreachState,
    Prices,
    budget_allows,
    month_key,
    month_start,
    next_room,
    parse_channels,
    parse_notices,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
KYIV = ZoneInfo("Europe/Kyiv")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("viber,sms", ChannelPreference.viber_then_sms),
        (" Viber , SMS ", ChannelPreference.viber_then_sms),
        ("sms", ChannelPreference.sms),
        ("viber", ChannelPreference.viber),
        ("off", None),
        ("", None),
    ],
)
def test_channels_setting(text: str, expected: ChannelPreference | None):
    assert parse_channels(text) == expected


@pytest.mark.parametrize("text", ["sms,viber", "telegram", "viber,sms,email"])
def test_other_channel_settings_are_refused_with_the_choices(text: str):
    with pytest.raises(ValueError, match="viber,sms or sms or viber"):
        parse_channels(text)


def test_notices_setting():
    assert parse_notices("arrived,storage_last_day") == {
        OutreachPurpose.arrived,
        OutreachPurpose.storage_last_day,
    }
    assert parse_notices("") == frozenset() == parse_notices("off")
    with pytest.raises(ValueError, match="unknown notice shipped"):
        parse_notices("arrived,shipped")


def test_a_rolling_day_holds_at_most_the_limit():
    assert next_room([], NOW, 2) is None
    assert next_room([NOW - timedelta(hours=1)], NOW, 2) is None
    two = [NOW - timedelta(hours=23), NOW - timedelta(hours=1)]
    assert next_room(two, NOW, 2) == NOW + timedelta(hours=1)  # when the older one turns a day
    # Messages older than a day do not count, however many.
    assert next_room([NOW - timedelta(days=1, seconds=1)] * 5, NOW, 2) is None


def test_a_hybrid_message_costs_at_most_its_dearer_way_until_the_channel_is_known():
    prices = Prices(sms=Decimal("0.80"), viber=Decimal("0.70"))
    assert prices.worst(ChannelPreference.viber_then_sms, 2) == Decimal("1.60")
    assert prices.worst(ChannelPreference.viber_then_sms, 0) == Decimal("0.70")
    assert prices.worst(ChannelPreference.viber, 3) == Decimal("0.70")
    assert prices.of(Channel.sms, 3) == Decimal("2.40")


def test_the_budget_counts_what_is_spent_and_what_this_message_may_cost():
    assert budget_allows(Decimal("0"), Decimal("1.60"), None)
    assert budget_allows(Decimal("0.40"), Decimal("1.60"), Decimal("2.00"))
    assert not budget_allows(Decimal("0.41"), Decimal("1.60"), Decimal("2.00"))


def test_the_budget_month_is_the_shops_calendar_month():
    new_year = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 January in Kyiv
    assert month_key(new_year, KYIV) == "2027-01"
    assert month_start(new_year, KYIV) == datetime(2027, 1, 1, tzinfo=KYIV)


def test_states():
    assert OutreachState.delivered.reached and OutreachState.read.final
    assert OutreachState.not_delivered.missed and OutreachState.skipped.missed
    assert not OutreachState.sent.final and not OutreachState.queued.final
