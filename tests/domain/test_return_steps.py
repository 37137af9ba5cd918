"""The path through a return request: which steps there are, and where Back and Next lead."""

from __future__ import annotations

import pytest

from bot.domain.return_steps import Route, Step, following, path, previous
from bot.domain.returns import Resolution, ReturnReason

S = Step


def test_the_shortest_path_has_no_order_step_and_no_details() -> None:
    route = Route(reason=ReturnReason.wrong_size, resolution=Resolution.store_credit)
    assert path(route) == (
        S.items,
        S.reason,
        S.photos,
        S.comment,
        S.resolution,
        S.summary,
    )
    assert previous(S.items, route) is None
    assert following(S.summary, route) is None


def test_several_orders_other_reason_and_an_iban_add_their_steps() -> None:
    route = Route(True, ReturnReason.other, Resolution.refund_iban)
    assert path(route) == (
        S.order,
        S.items,
        S.reason,
        S.reason_text,
        S.photos,
        S.comment,
        S.resolution,
        S.iban,
        S.holder,
        S.summary,
    )
    assert previous(S.items, route) is S.order
    assert previous(S.photos, route) is S.reason_text
    assert previous(S.summary, route) is S.holder
    assert following(S.reason, route) is S.reason_text
    assert following(S.resolution, route) is S.iban


def test_an_exchange_asks_for_the_wish() -> None:
    route = Route(resolution=Resolution.exchange)
    assert following(S.resolution, route) is S.exchange
    assert following(S.exchange, route) is S.summary
    assert previous(S.summary, route) is S.exchange


@pytest.mark.parametrize("step", list(Step))
def test_back_from_a_step_off_the_path_goes_to_the_nearest_earlier_one(step: Step) -> None:
    """After Back to the reason and another choice, the step the customer was on may be gone."""
    route = Route(reason=ReturnReason.defective, resolution=Resolution.store_credit)
    before = previous(step, route)
    on_path = path(route)
    if before is not None:
        assert before in on_path
        assert list(Step).index(before) < list(Step).index(step)
    after = following(step, route)
    if after is not None:
        assert after in on_path and list(Step).index(after) > list(Step).index(step)
