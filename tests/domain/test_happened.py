"""The moment a reported event goes into the order's history: the teller's, within bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.happened import happened_at, order_began

CREATED = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_a_past_moment_is_kept():
    twenty_days_ago = NOW - timedelta(days=20)
    assert happened_at(twenty_days_ago, learnt_at=NOW, not_before=CREATED) == twenty_days_ago


def test_nothing_happens_in_the_future_or_before_the_order():
    assert happened_at(NOW + timedelta(hours=3), learnt_at=NOW, not_before=CREATED) == NOW
    assert happened_at(datetime(2020, 1, 1, tzinfo=UTC), learnt_at=NOW, not_before=CREATED) == (
        CREATED
    )


def test_unknown_means_when_the_bot_learnt_it():
    assert happened_at(None, learnt_at=NOW, not_before=CREATED) == NOW


def test_the_order_began_when_the_shop_created_it_if_earlier():
    shop = CREATED - timedelta(days=30)
    assert order_began(CREATED, shop) == shop
    assert order_began(CREATED, None) == CREATED
    assert order_began(CREATED, NOW) == CREATED  # a shop clock ahead does not move it later


moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(reported=st.one_of(st.none(), moments), floor=moments, learnt=moments)
def test_the_moment_is_never_after_it_was_learnt(reported, floor, learnt):
    moment = happened_at(reported, learnt_at=learnt, not_before=floor)
    assert moment <= learnt
    if floor <= learnt:
        assert moment >= floor
