"""Hypothesis state machines over the status rules of orders and returns.

An order (or a return) is walked through long random runs of moves, allowed ones and forbidden
ones mixed: every move the table allows must pass the domain's check; every other one must raise
the domain error, naming where the thing is and where it was asked to go. A final status stays
final, and a status that is not final can still reach one. (That a refused move changes nothing
in storage is the API machine's business: tests/api/test_order_status_machine.py.) For orders, the chains a carrier's report walks (``path_to``) are
checked against a plain breadth-first search; for returns, the managers' buttons against the
table they must never contradict.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import TypeVar

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from bot.domain.errors import IllegalTransition
from bot.domain.orders import (
    ALLOWED,
    FINAL,
    OrderStatus,
    awaits_confirmation,
    can_transition,
    check_transition,
    path_to,
)
from bot.domain.return_desk import (
    STEP_TARGET,
    DeskStep,
    StaleStep,
    check_step,
    offered,
)
from bot.domain.returns import (
    FINAL_RETURN,
    HOLDS_ITEMS,
    OPEN_RETURN,
    RETURN_MOVES,
    WAITING_ON_MANAGER,
    IllegalReturnMove,
    ReturnStatus,
    check_return_move,
)

S = TypeVar("S", OrderStatus, ReturnStatus)

MACHINE_SETTINGS = settings(
    max_examples=150, stateful_step_count=30, deadline=None, derandomize=True, database=None
)
# Where a carrier's report may walk an order on its own (never into cancelled or on hold).
CARRIER_TARGETS = (
    OrderStatus.shipped,
    OrderStatus.arrived,
    OrderStatus.received,
    OrderStatus.refused,
    OrderStatus.returning,
    OrderStatus.returned,
)


def distances(moves: Mapping[S, frozenset[S]], start: S) -> dict[S, int]:
    """How many moves each status reachable from ``start`` is away: plain breadth-first search."""
    found = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for following in moves[current]:
            if following not in found:
                found[following] = found[current] + 1
                queue.append(following)
    return found


class OrderMachine(RuleBasedStateMachine):
    """One order; ``history`` is every status it has been in, first ``new``."""

    def __init__(self) -> None:
        super().__init__()
        self.history = [OrderStatus.new]

    @property
    def status(self) -> OrderStatus:
        return self.history[-1]

    @precondition(lambda machine: machine.status not in FINAL)
    @rule(data=st.data())
    def make_an_allowed_move(self, data: st.DataObject) -> None:
        """Mostly allowed moves, so that runs get deep before they end in a final status."""
        self.move(data.draw(st.sampled_from(sorted(ALLOWED[self.status]))))

    @rule(to=st.sampled_from(OrderStatus))
    def move(self, to: OrderStatus) -> None:
        if to in ALLOWED[self.status]:
            check_transition(self.status, to)
            self.history.append(to)
            return
        with pytest.raises(IllegalTransition) as refused:
            check_transition(self.status, to)
        assert (refused.value.current, refused.value.target) == (self.status, to)
        assert self.status.value in str(refused.value)

    @rule(to=st.sampled_from(CARRIER_TARGETS))
    def walk_like_a_carrier(self, to: OrderStatus) -> None:
        for step in path_to(self.status, to) or ():
            self.move(step)

    @invariant()
    def carrier_chains_are_the_shortest_allowed_ones(self) -> None:
        away = distances(ALLOWED, self.status)
        for to in CARRIER_TARGETS:
            chain = path_to(self.status, to)
            if chain is None:
                assert to not in away
                continue
            assert len(chain) == away[to], f"not the shortest chain to {to}: {chain}"
            assert (chain[-1] if chain else self.status) is to
            assert not {OrderStatus.cancelled, OrderStatus.on_hold} & set(chain)
            for current, following in zip([self.status, *chain], chain, strict=False):
                assert can_transition(current, following)

    @invariant()
    def every_step_was_allowed(self) -> None:
        for current, following in zip(self.history, self.history[1:], strict=False):
            assert following in ALLOWED[current]

    @invariant()
    def a_final_status_is_the_last_one(self) -> None:
        finals = [index for index, status in enumerate(self.history) if status in FINAL]
        assert finals in ([], [len(self.history) - 1])
        if self.status in FINAL:
            assert not any(can_transition(self.status, target) for target in OrderStatus)

    @invariant()
    def only_a_new_order_asks_for_confirmation(self) -> None:
        assert awaits_confirmation(self.status) is (self.status is OrderStatus.new)

    @invariant()
    def the_order_can_always_still_end(self) -> None:
        assert FINAL & set(distances(ALLOWED, self.status))


class ReturnMachine(RuleBasedStateMachine):
    """One return, moved by the status table (the shop's API) or by the managers' buttons."""

    NUMBER = "R-000001"

    def __init__(self) -> None:
        super().__init__()
        self.history = [ReturnStatus.requested]

    @property
    def status(self) -> ReturnStatus:
        return self.history[-1]

    @precondition(lambda machine: machine.status not in FINAL_RETURN)
    @rule(data=st.data())
    def make_an_allowed_move(self, data: st.DataObject) -> None:
        self.move(data.draw(st.sampled_from(sorted(RETURN_MOVES[self.status]))))

    @precondition(lambda machine: bool(offered(machine.status)))
    @rule(data=st.data())
    def press_a_button_on_the_card(self, data: st.DataObject) -> None:
        self.press(data.draw(st.sampled_from(sorted(offered(self.status)))))

    @rule(to=st.sampled_from(ReturnStatus))
    def move(self, to: ReturnStatus) -> None:
        if to in RETURN_MOVES[self.status]:
            check_return_move(self.status, to)
            self.history.append(to)
            return
        with pytest.raises(IllegalReturnMove) as refused:
            check_return_move(self.status, to)
        assert (refused.value.current, refused.value.target) == (self.status, to)
        assert self.status.value in str(refused.value)

    @rule(step=st.sampled_from(DeskStep))
    def press(self, step: DeskStep) -> None:
        if step not in offered(self.status):
            with pytest.raises(StaleStep) as stale:
                check_step(self.status, step, self.NUMBER)
            assert self.NUMBER in str(stale.value)
            return
        target = check_step(self.status, step, self.NUMBER)
        assert target is STEP_TARGET[step]
        check_return_move(self.status, target)  # a button never offers what the table forbids
        self.history.append(target)

    @invariant()
    def every_step_was_allowed(self) -> None:
        for current, following in zip(self.history, self.history[1:], strict=False):
            assert following in RETURN_MOVES[current]

    @invariant()
    def a_final_status_is_the_last_one(self) -> None:
        finals = [index for index, status in enumerate(self.history) if status in FINAL_RETURN]
        assert finals in ([], [len(self.history) - 1])
        if self.status in FINAL_RETURN:
            assert not RETURN_MOVES[self.status] and not offered(self.status)

    @invariant()
    def open_returns_hold_their_items(self) -> None:
        assert (self.status in OPEN_RETURN) is (self.status not in FINAL_RETURN)
        if self.status in OPEN_RETURN:
            assert self.status in HOLDS_ITEMS

    @invariant()
    def a_return_waiting_on_a_manager_shows_them_a_button(self) -> None:
        if self.status in WAITING_ON_MANAGER:
            assert offered(self.status)

    @invariant()
    def the_return_can_always_still_end(self) -> None:
        assert FINAL_RETURN & set(distances(RETURN_MOVES, self.status))


TestOrderTransitions = OrderMachine.TestCase
TestOrderTransitions.settings = MACHINE_SETTINGS
TestReturnTransitions = ReturnMachine.TestCase
TestReturnTransitions.settings = MACHINE_SETTINGS
