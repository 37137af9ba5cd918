"""A hypothesis state machine that moves orders through the shop API against a model of the table.

Each run stores a new order, then asks ``POST /api/v1/orders/{external_id}/status`` for random
moves, allowed and forbidden mixed (mostly allowed ones, so that runs reach the late statuses).
An allowed move answers 200 with the new status; a move to the status the order already has
answers 200 and stores nothing (a shop's retry); a forbidden one 409 with ``current_status``
and the message naming it, and stores nothing at all. After every step the stored order must
match the model: its status, and its history event by event.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from bot.domain.orders import ALLOWED, FINAL, OrderStatus
from bot.services.shop_status import order_with_history
from tests.api.conftest import AUTH, order_payload, row_counts
from tests.api.live import LiveApi

MACHINE_SETTINGS = settings(
    max_examples=25,
    stateful_step_count=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TIMEOUT_SECONDS = 10
# Comments as shops write them; the API trims them, and a blank one is no comment.
COMMENTS = st.none() | st.text(
    alphabet=st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=40
)

Event = tuple[str, str | None, str | None, str, str | None]  # kind, from, to, source, comment


class OrderStatusMachine(RuleBasedStateMachine):
    def __init__(self, api: LiveApi, session: requests.Session, serial: int) -> None:
        super().__init__()
        self.api = api
        self.session = session
        self.external_id = f"M-{serial}"
        # A customer of their own: another run's cancelled or refused orders must not make this
        # one risky (and held) from the start.
        phone = f"+38050{serial:07d}"
        payload = order_payload(external_id=self.external_id, customer={"phone": phone})
        created = self.post("/api/v1/orders", payload)
        assert created.status_code == 201, created.text
        self.status = OrderStatus.new
        self.history: list[Event] = [("created", None, "new", "shop", None)]

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return self.session.post(
            f"{self.api.base_url}{path}", json=body, headers=AUTH, timeout=TIMEOUT_SECONDS
        )

    @precondition(lambda machine: machine.status not in FINAL)
    @rule(data=st.data(), comment=COMMENTS)
    def make_an_allowed_move(self, data: st.DataObject, comment: str | None) -> None:
        self.move(data.draw(st.sampled_from(sorted(ALLOWED[self.status]))), comment)

    @rule(to=st.sampled_from(OrderStatus), comment=COMMENTS)
    def move(self, to: OrderStatus, comment: str | None) -> None:
        allowed = to in ALLOWED[self.status]
        stored_before = None if allowed else self.api.run(row_counts(self.api.db))
        repeated = to is self.status
        body = {"status": to.value} if comment is None else {"status": to.value, "comment": comment}

        response = self.post(f"/api/v1/orders/{self.external_id}/status", body)

        if allowed:
            assert response.status_code == 200, response.text
            assert response.json()["status"] == to.value
            kept = (comment or "").strip() or None
            self.history.append(("status", self.status.value, to.value, "shop", kept))
            self.status = to
            return
        if repeated:
            assert response.status_code == 200, response.text
            assert response.json()["status"] == to.value
            assert self.api.run(row_counts(self.api.db)) == stored_before
            return
        assert response.status_code == 409, response.text
        error = response.json()["error"]
        assert (error["code"], error["current_status"]) == ("conflict", self.status.value)
        assert f"The order is {self.status.value}; it cannot move to {to.value}" in error["message"]
        assert self.api.run(row_counts(self.api.db)) == stored_before

    @invariant()
    def the_stored_order_is_the_model(self) -> None:
        order, events = self.api.run(order_with_history(self.api.db, self.external_id))
        assert order.status == self.status.value
        stored = [(e.kind, e.from_status, e.to_status, e.source, e.comment) for e in events]
        assert stored == self.history


def test_the_status_endpoint_follows_the_table(live_api: LiveApi) -> None:
    serial: Iterator[int] = itertools.count(1)
    with requests.Session() as session:
        run_state_machine_as_test(
            lambda: OrderStatusMachine(live_api, session, next(serial)),
            settings=MACHINE_SETTINGS,
        )
