"""Every StatusCode NP documents has a decision; unknown codes are logged, never fatal."""

from __future__ import annotations

import logging

import pytest

from bot.carriers.novaposhta.statuses import IGNORED, MAPPED, is_known, map_status
from bot.domain.shipments import ShipmentStatus as S
from tests.carriers import refdata

# The decision for each code; None: deliberately no status (see statuses.IGNORED for why).
EXPECTED: dict[str, S | None] = {
    "1": S.created,
    "2": None,
    "3": None,
    "4": S.in_transit,
    "41": S.in_transit,
    "5": S.in_transit,
    "6": S.in_transit,
    "7": S.arrived,
    "8": S.arrived,
    "9": S.received,
    "10": S.received,
    "11": S.received,
    "12": S.created,
    "14": S.arrived,
    "101": S.in_transit,
    "102": S.refused,
    "103": S.refused,
    "104": None,
    "105": S.storage_ended,
    "106": S.received,
    "107": S.storage_ended,
    "108": S.refused,
    "111": S.delivery_failed,
    "112": None,
}


def test_the_reference_table_is_there() -> None:
    codes = refdata.load(refdata.CODES)["status_codes"]
    assert len(codes) >= 20


@pytest.mark.parametrize("code", refdata.documented_codes())
def test_every_documented_code_has_a_decision(code: str, caplog: pytest.LogCaptureFixture) -> None:
    assert code in EXPECTED, f"NP StatusCode {code} has no mapping decision in this test"
    assert is_known(code), f"NP StatusCode {code} is neither mapped nor ignored"
    with caplog.at_level(logging.WARNING):
        assert map_status(code) == EXPECTED[code]
        assert map_status(int(code)) == EXPECTED[code]
    assert not caplog.records


def test_mapped_and_ignored_do_not_overlap_and_cover_the_expectations() -> None:
    assert not MAPPED.keys() & IGNORED.keys()
    assert set(MAPPED) | set(IGNORED) == set(EXPECTED)
    assert all(reason.strip() for reason in IGNORED.values())


@pytest.mark.parametrize("spelling", ["7", 7, " 7 ", "07", 7.0])
def test_code_spellings(spelling: str | int | float) -> None:
    assert map_status(spelling) is S.arrived  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["999", 13, "abc"])
def test_unknown_code_is_logged_and_yields_no_status(
    code: str | int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert map_status(code) is None
    assert any("unknown Nova Poshta StatusCode" in r.getMessage() for r in caplog.records)
    assert not is_known(code)


@pytest.mark.parametrize("code", [None, "", True, 1.5])
def test_unusable_code_is_logged(code: object, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert map_status(code) is None  # type: ignore[arg-type]
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
