"""Return rules: moves, the window, quantities, IBANs, waybills, configured reasons."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.orders import Carrier
from bot.domain.returns import (
    FINAL_RETURN,
    RETURN_MOVES,
    IbanProblem,
    IllegalReturnMove,
    ItemLine,
    NothingChosen,
    NotReturnable,
    QuantityTooLarge,
    Resolution,
    ReturnReason,
    ReturnRules,
    ReturnStatus,
    check_iban,
    check_quantities,
    check_return_move,
    mask_iban,
    parse_reasons,
    parse_return_number,
    resolutions_for,
    return_number,
)
from bot.domain.waybills import normalise_waybill

R = ReturnStatus


def test_every_status_can_end_and_final_ones_stay() -> None:
    assert {R.refunded, R.rejected, R.cancelled} == FINAL_RETURN
    reachable = {R.requested}
    frontier = [R.requested]
    while frontier:
        for target in RETURN_MOVES[frontier.pop()]:
            if target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(ReturnStatus)


@given(st.sampled_from(list(ReturnStatus)), st.sampled_from(list(ReturnStatus)))
def test_moves_follow_the_table(current: ReturnStatus, target: ReturnStatus) -> None:
    if target in RETURN_MOVES[current]:
        check_return_move(current, target)
    else:
        with pytest.raises(IllegalReturnMove):
            check_return_move(current, target)


def test_the_window_counts_from_the_day_after_receipt() -> None:
    rules = ReturnRules(window_days=14)
    received = date(2026, 11, 1)
    assert rules.last_day(received) == date(2026, 11, 15)
    assert rules.window_open(received, date(2026, 11, 15))
    assert not rules.window_open(received, date(2026, 11, 16))


def test_quantities_are_checked_against_what_is_left() -> None:
    lines = [
        ItemLine(1, "Шкарпетки", bought=3, returnable=True, in_returns=2),
        ItemLine(2, "Крем", bought=1, returnable=False),
    ]
    assert [line.available for line in lines] == [1, 0]
    check_quantities(lines, {1: 1})
    with pytest.raises(QuantityTooLarge):
        check_quantities(lines, {1: 2})
    with pytest.raises(NotReturnable):
        check_quantities(lines, {2: 1})
    with pytest.raises(NothingChosen):
        check_quantities(lines, {1: 0})
    with pytest.raises(NothingChosen):
        check_quantities(lines, {99: 1})
    held = ItemLine(3, "Шапка", bought=2, returnable=True, in_returns=1, in_open_return=True)
    assert held.available == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UA21 3223 1300 0002 6007 2335 6600 1", ("UA213223130000026007233566001", None)),
        ("ua213223130000026007233566001", ("UA213223130000026007233566001", None)),
        ("UA21 3223 1300 0002 6007 2335 6600 2", (None, IbanProblem.wrong_checksum)),
        ("UA21 3223 1300 0002 6007 2335 6600", (None, IbanProblem.wrong_length)),
        ("DE89 3704 0044 0532 0130 00", (None, IbanProblem.not_ukrainian)),
        ("UA21 3223 1300 0002 6007 2335 66ЖЖ 1", (None, IbanProblem.bad_characters)),
        ("", (None, IbanProblem.not_ukrainian)),
    ],
)
def test_ibans(text: str, expected: tuple[str | None, IbanProblem | None]) -> None:
    assert check_iban(text) == expected


def test_ibans_are_masked() -> None:
    assert mask_iban("UA213223130000026007233566001") == "UA21 **** 6001"


@pytest.mark.parametrize(
    ("carrier", "text", "expected"),
    [
        (Carrier.nova_poshta, "2045 0000 0000 00", "20450000000000"),
        (Carrier.nova_poshta, "2045000000000", None),
        (Carrier.nova_poshta, "20450000000000a", None),
        (Carrier.ukrposhta, "RB123456789UA", "RB123456789UA"),
        (Carrier.ukrposhta, "0500012345678", "0500012345678"),
        (Carrier.meest, "mx-1234-5678", "MX12345678"),
    ],
)
def test_waybills_per_carrier(carrier: Carrier, text: str, expected: str | None) -> None:
    assert normalise_waybill(carrier, text) == expected


def test_reasons_are_configured_by_name_or_value_with_other_always_last() -> None:
    assert parse_reasons("defective, size, mind") == (
        ReturnReason.defective,
        ReturnReason.wrong_size,
        ReturnReason.changed_mind,
        ReturnReason.other,
    )
    with pytest.raises(ValueError, match="unknown return reason"):
        parse_reasons("size, broken")


def test_refund_to_the_card_only_for_prepaid_orders() -> None:
    assert Resolution.refund_original not in resolutions_for(prepaid=False)
    assert resolutions_for(prepaid=True)[0] is Resolution.refund_original


def test_return_numbers() -> None:
    assert return_number(123) == "R-000123"
    assert parse_return_number("R-000123") == parse_return_number("r123") == 123
    assert parse_return_number("A-1001") is None
    assert parse_return_number("R-2147483647") == 2**31 - 1
    for no_return in ("R-2147483648", " R-1", "R-1\n", "R-١٢"):  # too large, spaces, not ASCII
        assert parse_return_number(no_return) is None
