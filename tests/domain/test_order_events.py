from __future__ import annotations

import pytest

from bot.domain.feedback import FeedbackKind
from bot.domain.order_events import FEEDBACK_EVENTS, OrderEventKind, feedback_event

# What rows already stored say: a kind's value never changes (no migration rewrites them).
STORED = {
    "created",
    "status",
    "linked",
    "reminded",
    "escalated",
    "call_taken",
    "change_requested",
    "risk_approved",
    "carrier_status",
    "point_changed",
    "rating",
    "refusal",
    "cannot_pick_up",
    "pickup_promise",
    "storage_extension",
    "storage_extended",
}


def test_the_stored_values_stay() -> None:
    assert {kind.value for kind in OrderEventKind} == STORED


def test_a_kind_is_its_stored_string() -> None:
    assert OrderEventKind.status == "status"
    assert OrderEventKind("created") is OrderEventKind.created
    assert "escalated" in {OrderEventKind.escalated}


def test_a_kind_fits_its_column() -> None:
    assert max(len(kind.value) for kind in OrderEventKind) <= 32  # order_events.kind


@pytest.mark.parametrize("kind", list(FeedbackKind))
def test_an_answer_is_in_the_history_under_its_feedback_kind(kind: FeedbackKind) -> None:
    assert feedback_event(kind).value == kind.value


def test_every_answer_has_its_history_kind() -> None:
    assert set(FEEDBACK_EVENTS) == set(FeedbackKind)
