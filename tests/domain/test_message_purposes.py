from __future__ import annotations

from bot.domain.message_purposes import MessagePurpose


def test_the_stored_values_stay() -> None:
    """Messages still waiting in the outbox carry these: a value never changes."""
    assert {purpose.value for purpose in MessagePurpose} == {
        "order_card",
        "edit_order_card",
        "return_card",
        "edit_return_card",
    }


def test_a_purpose_fits_its_column_and_equals_its_stored_string() -> None:
    assert max(len(purpose.value) for purpose in MessagePurpose) <= 32
    assert MessagePurpose.order_card == "order_card"
