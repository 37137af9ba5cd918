"""Categories: simple rules, exactly one per history, more refusals never make anyone safer."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.categories import Category, CustomerHistory, categorize


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (CustomerHistory(), Category.new),
        (CustomerHistory(refused=1), Category.new),
        (CustomerHistory(received=1, received_total=Decimal("900")), Category.regular),
        (CustomerHistory(received=4, received_total=Decimal("3600")), Category.regular),
        (CustomerHistory(received=5, received_total=Decimal("500")), Category.vip),
        (CustomerHistory(received=1, received_total=Decimal("10000")), Category.vip),
        (CustomerHistory(refused=1, returned=1), Category.risky),
        (CustomerHistory(received=2, refused=2), Category.risky),
        (CustomerHistory(received=3, refused=2), Category.regular),
        (CustomerHistory(received=6, refused=1, returned=5), Category.risky),
        (CustomerHistory(received=7, refused=2, received_total=Decimal("7000")), Category.vip),
    ],
)
def test_rules(history: CustomerHistory, expected: Category) -> None:
    assert categorize(history) is expected


histories = st.builds(
    CustomerHistory,
    received=st.integers(0, 50),
    refused=st.integers(0, 50),
    returned=st.integers(0, 50),
    received_total=st.decimals(0, 100_000, places=2),
)


@given(histories)
def test_every_history_gets_exactly_one_category(history: CustomerHistory) -> None:
    assert categorize(history) in set(Category)
    assert categorize(history) is categorize(replace(history))  # a function of the history only


@given(histories, st.integers(1, 10), st.booleans())
def test_more_failures_never_make_a_customer_less_risky(
    history: CustomerHistory, more: int, as_return: bool
) -> None:
    worse = (
        replace(history, returned=history.returned + more)
        if as_return
        else replace(history, refused=history.refused + more)
    )
    before, after = categorize(history), categorize(worse)
    assert after in {before, Category.risky}
    if before is Category.risky:
        assert after is Category.risky


@given(histories)
def test_risky_only_when_failures_outweigh_pickups(history: CustomerHistory) -> None:
    risky = categorize(history) is Category.risky
    assert risky == (history.failed >= 2 and history.failed >= history.received)
