"""message/status.json items read into delivery states (pure)."""

from __future__ import annotations

from bot.channels.base import DeliveryKind, DeliveryState
from bot.channels.turbosms.statuses import parse_statuses
from bot.domain.outreach import Channel


def test_before_a_report_the_item_code_says_queued_or_sent() -> None:
    answer = [
        {"message_id": "a", "response_code": 800, "response_status": "SUCCESS_MESSAGE_ACCEPTED"},
        {"message_id": "b", "response_code": 801, "response_status": "SUCCESS_MESSAGE_SENT"},
    ]
    assert parse_statuses(answer) == [
        DeliveryState("a", DeliveryKind.queued, "SUCCESS_MESSAGE_ACCEPTED"),
        DeliveryState("b", DeliveryKind.sent, "SUCCESS_MESSAGE_SENT"),
    ]


def test_a_status_text_no_source_has_shown_is_unknown_with_the_text_kept() -> None:
    item = {"message_id": "a", "response_code": 0, "status": "Delivered", "type": "sms"}
    assert parse_statuses([item]) == [
        DeliveryState("a", DeliveryKind.unknown, "Delivered", Channel.sms)
    ]


def test_texts_learned_later_map_without_regard_to_case() -> None:
    item = {"message_id": "a", "response_code": 0, "status": "DELIVERED", "type": "viber"}
    [state] = parse_statuses([item], {"Delivered": DeliveryKind.delivered})
    assert (state.state, state.raw, state.channel) == (
        DeliveryKind.delivered,
        "DELIVERED",
        Channel.viber,
    )


def test_viber_rejection_and_click() -> None:
    rejected = {"message_id": "a", "status": "x", "type": "viber", "rejected_status": "blocked"}
    clicked = {"message_id": "b", "status": "y", "type": "viber", "click_time": "2026-01-01"}
    assert [(s.state, s.raw) for s in parse_statuses([rejected, clicked])] == [
        (DeliveryKind.rejected, "blocked"),
        (DeliveryKind.read, "y"),
    ]


def test_an_id_not_ours_is_unknown_and_junk_is_skipped() -> None:
    answer = [
        {"message_id": "zz", "response_code": 414, "response_status": "NOT_ALLOWED_MESSAGE_ID"},
        "junk",
        {"response_code": 800},
    ]
    assert parse_statuses(answer) == [
        DeliveryState("zz", DeliveryKind.unknown, "NOT_ALLOWED_MESSAGE_ID")
    ]
    assert parse_statuses(None) == []
