"""A hypothesis state machine that moves returns through the shop API against a model.

Each run has a customer submit a return of their own order, then asks
``POST /api/v1/returns/{number}/status`` for random moves with random sets of the fields a status
needs (the reason or question, the refund, the waybill), valid and not. The model says what must
come back: 422 naming every missing or extra field, else 409 naming the current status when the
table forbids the move, else 409 naming a waybill or an amount that does not fit this return (the
order's carrier or total: the OpenAPI document cannot know them), else 200. Whatever
is refused stores nothing at all; after every step the stored return (status, history, the
manager's note, refund, waybill, whether it waits on a manager) is the model.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
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

from bot.domain.return_desk import MAX_NOTE
from bot.domain.returns import (
    FINAL_RETURN,
    RETURN_MOVES,
    WAITING_ON_MANAGER,
    ReturnStatus,
    return_number,
)
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.services.returns.shop import NEEDS_COMMENT
from storage.uow import Database
from tests.api.conftest import AUTH, row_counts
from tests.api.live import LiveApi
from tests.services.returns.helpers import submitted_return

MACHINE_SETTINGS = settings(
    max_examples=20,
    stateful_step_count=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TIMEOUT_SECONDS = 10
ORDER_TOTAL = Decimal("900.00")  # two T-shirts at 450.00, as ``submitted_return`` orders them
COMMENTS = st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=40)
AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1200.00"), places=2)
R = ReturnStatus
HAPPY_PATH = {
    R.requested: R.approved,
    R.info_requested: R.approved,
    R.approved: R.shipped,
    R.shipped: R.received,
    R.received: R.accepted,
    R.accepted: R.refunded,
}
# The return's own parcel, a number no carrier would give, and the same with spaces.
WAYBILLS = st.sampled_from(("own", "bad", "own spaced"))


@dataclass(frozen=True)
class Move:
    """One request's body: the status and which of the optional fields it carries."""

    to: ReturnStatus
    comment: str | None = None
    refund_amount: Decimal | None = None
    waybill: str | None = None

    def body(self) -> dict[str, Any]:
        sent: dict[str, Any] = {"status": self.to.value}
        if self.comment is not None:
            sent["comment"] = self.comment
        if self.refund_amount is not None:
            sent["refund_amount"] = f"{self.refund_amount}"
        if self.waybill is not None:
            sent["waybill"] = self.waybill
        return sent


# from, to, source, actor, comment
Event = tuple[str | None, str, str, str | None, str | None]


@dataclass
class Model:
    status: ReturnStatus = ReturnStatus.requested
    history: list[Event] = field(default_factory=list)
    manager_note: str | None = None
    refund_amount: Decimal | None = None
    waybill: str | None = None


async def start_return(
    db: Database, ctx: ServiceContext, serial: int, customer: TelegramUser
) -> int:
    """A customer of their own submits a return of one item of their received order."""
    return_ = await submitted_return(
        db, ctx, external_id=f"RM-{serial}", customer=customer, phone=f"+38067{serial:07d}"
    )
    return return_.id


class ReturnStatusMachine(RuleBasedStateMachine):
    def __init__(
        self, api: LiveApi, ctx: ServiceContext, session: requests.Session, serial: int
    ) -> None:
        super().__init__()
        self.api = api
        self.session = session
        customer = TelegramUser(id=700_000 + serial, full_name=f"Покупець {serial}")
        self.return_id = api.run(start_return(api.db, ctx, serial, customer))
        self.own_waybill = f"5900{serial:010d}"
        self.model = Model(history=[(None, "requested", "customer", customer.full_name, None)])

    def waybill(self, kind: str) -> str:
        return {
            "own": self.own_waybill,
            "own spaced": " ".join([self.own_waybill[:4], self.own_waybill[4:]]),
            "bad": "12",
        }[kind]

    @precondition(lambda machine: machine.model.status in HAPPY_PATH)
    @rule(data=st.data(), comment=COMMENTS, amount=AMOUNTS)
    def take_the_next_step_to_a_refund(
        self, data: st.DataObject, comment: str, amount: Decimal
    ) -> None:
        """So that runs reach the late statuses before a rejection or cancellation ends them."""
        self.send(self.complete(HAPPY_PATH[self.model.status], data, comment, amount))

    @precondition(lambda machine: machine.model.status not in FINAL_RETURN)
    @rule(data=st.data(), comment=COMMENTS, amount=AMOUNTS)
    def make_an_allowed_move(self, data: st.DataObject, comment: str, amount: Decimal) -> None:
        to = data.draw(st.sampled_from(sorted(RETURN_MOVES[self.model.status])))
        self.send(self.complete(to, data, comment, amount))

    def complete(
        self, to: ReturnStatus, data: st.DataObject, comment: str, amount: Decimal
    ) -> Move:
        """A move to ``to`` with the fields it needs; amount and waybill may still be wrong."""
        if not comment.strip() and to in NEEDS_COMMENT:
            comment = "Чому?"
        move = Move(to, comment=comment)
        if to is ReturnStatus.refunded:
            move = replace(move, refund_amount=amount)
        if to is ReturnStatus.shipped:
            move = replace(move, waybill=self.waybill(data.draw(WAYBILLS)))
        return move

    @rule(
        to=st.sampled_from(ReturnStatus),
        comment=st.none() | COMMENTS,
        amount=st.none() | AMOUNTS,
        waybill=st.none() | WAYBILLS,
    )
    def move_anyhow(
        self, to: ReturnStatus, comment: str | None, amount: Decimal | None, waybill: str | None
    ) -> None:
        self.send(Move(to, comment, amount, self.waybill(waybill) if waybill else None))

    def send(self, move: Move) -> None:
        expected, fields = self.expect(move)
        repeat = expected != 422 and self.repeats(move)
        if repeat:
            expected, fields = 200, []
        stored_before = (
            None if expected == 200 and not repeat else self.api.run(row_counts(self.api.db))
        )

        response = self.session.post(
            f"{self.api.base_url}/api/v1/returns/{return_number(self.return_id)}/status",
            json=move.body(),
            headers=AUTH,
            timeout=TIMEOUT_SECONDS,
        )

        assert response.status_code == expected, (move, response.text)
        if expected == 200:
            assert response.json()["status"] == move.to.value
            if repeat:  # a retried call: answered, and nothing stored
                assert self.api.run(row_counts(self.api.db)) == stored_before
                return
            self.apply(move)
            return
        error = response.json()["error"]
        if expected == 409 and not fields:
            assert (error["code"], error["current_status"]) == ("conflict", self.model.status)
        elif expected == 409:
            assert error["code"] == "return_mismatch"
            assert [item["field"] for item in error["fields"]] == fields
        else:
            assert [item["field"] for item in error["fields"]] == fields
        assert self.api.run(row_counts(self.api.db)) == stored_before

    def repeats(self, move: Move) -> bool:
        """The status the return has, with its own waybill or amount: a retry, answered 200."""
        if move.to != self.model.status:
            return False
        if move.to is ReturnStatus.shipped:
            return move.waybill is not None and move.waybill.replace(" ", "") == self.model.waybill
        if move.to is ReturnStatus.refunded:
            return move.refund_amount == self.model.refund_amount
        return True

    def expect(self, move: Move) -> tuple[int, list[str]]:
        """The status code, and the fields it names (for a 422 or a mismatch), in the API's order."""
        comment = (move.comment or "").strip()
        fields = []
        if move.to in NEEDS_COMMENT and not comment:
            fields.append("comment")
        if (move.refund_amount is None) is (move.to is ReturnStatus.refunded):
            fields.append("refund_amount")
        if (move.waybill is None) is (move.to is ReturnStatus.shipped):
            fields.append("waybill")
        if fields:
            return 422, fields
        if move.to not in RETURN_MOVES[self.model.status]:
            return 409, []
        if move.waybill is not None and move.waybill.replace(" ", "") != self.own_waybill:
            return 409, ["waybill"]
        if move.refund_amount is not None and move.refund_amount > ORDER_TOTAL:
            return 409, ["refund_amount"]
        return 200, []

    def apply(self, move: Move) -> None:
        comment = (move.comment or "").strip() or None
        model = self.model
        model.history.append((model.status.value, move.to.value, "shop", None, comment))
        model.status = move.to
        if move.to in NEEDS_COMMENT:
            model.manager_note = (comment or "")[:MAX_NOTE]
        if move.refund_amount is not None:
            model.refund_amount = move.refund_amount
        if move.waybill is not None:
            model.waybill = self.own_waybill

    @invariant()
    def the_stored_return_is_the_model(self) -> None:
        response = self.session.get(
            f"{self.api.base_url}/api/v1/returns/{return_number(self.return_id)}",
            headers=AUTH,
            timeout=TIMEOUT_SECONDS,
        )
        assert response.status_code == 200
        stored = response.json()
        model = self.model
        assert stored["status"] == model.status
        history = [
            (e["from_status"], e["to_status"], e["source"], e["actor"], e["comment"])
            for e in stored["history"]
        ]
        assert history == model.history
        assert stored["manager_note"] == model.manager_note
        refund = model.refund_amount
        assert stored["refund_amount"] == (f"{refund:.2f}" if refund is not None else None)
        assert stored["parcel"]["waybill"] == model.waybill
        assert (stored["waiting_since"] is not None) is (model.status in WAITING_ON_MANAGER)


def test_the_return_status_endpoint_follows_the_model(
    live_api: LiveApi, ctx: ServiceContext
) -> None:
    serial: Iterator[int] = itertools.count(1)
    with requests.Session() as session:
        run_state_machine_as_test(
            lambda: ReturnStatusMachine(live_api, ctx, session, next(serial)),
            settings=MACHINE_SETTINGS,
        )
