from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import IllegalTransition
from bot.domain.orders import (
    ALLOWED,
    FINAL,
    OrderStatus,
    awaits_confirmation,
    check_transition,
    path_to,
)


def test_every_status_has_a_row_in_the_table():
    assert set(ALLOWED) == set(OrderStatus)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("new", "confirmed"),
        ("new", "cancelled"),
        ("new", "on_hold"),
        ("on_hold", "new"),
        ("confirmed", "shipped"),
        ("shipped", "arrived"),
        ("arrived", "received"),
        ("arrived", "refused"),
        ("refused", "returned"),
    ],
)
def test_allowed_moves(current, target):
    check_transition(OrderStatus(current), OrderStatus(target))


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("new", "shipped"),
        ("cancelled", "new"),
        ("received", "cancelled"),
        ("confirmed", "new"),
        ("shipped", "cancelled"),
    ],
)
def test_forbidden_moves_name_the_current_status(current, target):
    with pytest.raises(IllegalTransition) as error:
        check_transition(OrderStatus(current), OrderStatus(target))
    assert error.value.current == current and error.value.target == target


def test_final_statuses_lead_nowhere():
    assert {OrderStatus.cancelled, OrderStatus.received, OrderStatus.returned} == FINAL


@given(st.sampled_from(OrderStatus), st.sampled_from(OrderStatus))
def test_no_status_moves_to_itself_and_table_is_the_only_truth(current, target):
    if current == target:
        with pytest.raises(IllegalTransition):
            check_transition(current, target)
    else:
        allowed = target in ALLOWED[current]
        try:
            check_transition(current, target)
        except IllegalTransition:
            assert not allowed
        else:
            assert allowed


def test_only_new_orders_await_confirmation():
    assert [s for s in OrderStatus if awaits_confirmation(s)] == [OrderStatus.new]
    assert awaits_confirmation("new")


def test_paths_walk_the_steps_a_shop_skipped():
    S = OrderStatus
    assert path_to(S.confirmed, S.arrived) == [S.shipped, S.arrived]
    assert path_to(S.shipped, S.returned) == [S.returning, S.returned]
    assert path_to(S.new, S.received) == [S.confirmed, S.shipped, S.received]
    assert path_to(S.arrived, S.arrived) == []
    assert path_to(S.received, S.refused) is None
    assert path_to(S.cancelled, S.arrived) is None
