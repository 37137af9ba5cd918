"""The history a past order gets: the live bot's chain of statuses, at the row's times."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.domain.feedback import RefusalReason
from bot.domain.orders import OrderStatus
from bot.importer.rows import HistoricalOrder
from bot.importer.timeline import Refusal, Step, chain, refusal, steps

S = OrderStatus
CREATED = datetime(2025, 9, 2, 7, 0, tzinfo=UTC)
CONFIRMED = datetime(2025, 9, 2, 7, 30, tzinfo=UTC)
FINISHED = datetime(2025, 9, 6, 12, 0, tzinfo=UTC)


def order(status: OrderStatus, **changes) -> HistoricalOrder:
    fields = {
        "external_id": "H-1",
        "phone": "+380501234567",
        "name": "Олена Коваль",
        "status": status,
        "created_at": CREATED,
        "finished_at": FINISHED,
        "confirmed_at": None,
        "total": Decimal("900.00"),
    }
    return HistoricalOrder(**{**fields, **changes})


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.received, [S.confirmed, S.shipped, S.received]),
        (S.refused, [S.confirmed, S.shipped, S.refused]),
        (S.returned, [S.confirmed, S.shipped, S.returning, S.returned]),
        (S.cancelled, [S.cancelled]),
    ],
)
def test_each_outcome_walks_the_allowed_moves_from_new(status, expected):
    assert chain(order(status)) == expected


def test_a_received_order_confirmed_at_a_known_time():
    assert steps(order(S.received, confirmed_at=CONFIRMED)) == [
        Step("created", CREATED, to_status=S.new),
        Step("status", CONFIRMED, S.new, S.confirmed),
        Step("status", FINISHED, S.confirmed, S.shipped),
        Step("status", FINISHED, S.shipped, S.received),
    ]


def test_without_confirmed_at_every_step_after_creation_is_at_the_finish():
    history = steps(order(S.received))
    assert [step.at for step in history] == [CREATED, FINISHED, FINISHED, FINISHED]


def test_a_cancelled_order_goes_straight_from_new_with_its_comment():
    assert steps(order(S.cancelled, comment="Оформила двічі")) == [
        Step("created", CREATED, to_status=S.new),
        Step("status", FINISHED, S.new, S.cancelled, comment="Оформила двічі"),
    ]


def test_cancelled_after_confirmation_is_new_confirmed_cancelled():
    assert steps(order(S.cancelled, confirmed_at=CONFIRMED, comment="Знайшла дешевше")) == [
        Step("created", CREATED, to_status=S.new),
        Step("status", CONFIRMED, S.new, S.confirmed),
        Step("status", FINISHED, S.confirmed, S.cancelled, comment="Знайшла дешевше"),
    ]


def test_a_refusal_with_a_reason_ends_with_what_the_customer_said():
    refused = order(S.refused, refusal_reason=RefusalReason.changed_mind, comment="Передумав")
    assert refusal(refused) == Refusal(RefusalReason.changed_mind, "Передумав")
    assert steps(refused)[-1] == Step("refusal", FINISHED, reason="mind", comment="Передумав")


def test_a_refusal_with_only_a_comment_is_reason_other():
    returned = order(S.returned, comment="Не той розмір")
    assert refusal(returned) == Refusal(RefusalReason.other, "Не той розмір")
    assert steps(returned)[-1].kind == "refusal"


def test_a_refusal_without_reason_or_comment_records_none():
    assert refusal(order(S.refused)) is None
    assert [step.kind for step in steps(order(S.refused))] == ["created"] + ["status"] * 3


def test_received_and_cancelled_orders_have_no_refusal():
    assert refusal(order(S.received)) is None
    assert refusal(order(S.cancelled, comment="Передумала")) is None
