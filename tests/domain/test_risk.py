"""The rating formula: levels, scores and the reasons that explain them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.risk import (
    Assessment,
    CustomerRecord,
    Flag,
    ManualDecision,
    ManualState,
    ReasonKind,
    Refusal,
    RiskLevel,
    RiskPolicies,
    RiskPolicy,
    RiskThresholds,
    assess,
    riskiest_first,
)

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
RULES = RiskThresholds()


def days_ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def refusals(*ages: int, reason: str | None = "mind") -> tuple[Refusal, ...]:
    return tuple(Refusal(at=days_ago(age), reason=reason) for age in sorted(ages, reverse=True))


def kinds(assessment: Assessment) -> list[ReasonKind]:
    return [reason.kind for reason in assessment.reasons]


def test_a_customer_without_history_is_ok_with_score_zero() -> None:
    result = assess(CustomerRecord(orders=1), NOW, RULES)
    assert (result.level, result.score) == (RiskLevel.ok, 0)
    assert kinds(result) == [ReasonKind.no_history]
    assert result.reasons[0].count == 1


def test_one_refusal_is_not_enough_for_anything() -> None:
    record = CustomerRecord(orders=1, refusals=refusals(3), last_outcomes=(False,))
    result = assess(record, NOW, RULES)
    assert (result.level, result.score) == (RiskLevel.ok, 20)
    refused = result.reasons[0]
    assert (refused.kind, refused.count, refused.total) == (ReasonKind.refused, 1, 1)
    last = result.reasons[1]
    assert (last.kind, last.days, last.text) == (ReasonKind.last_refusal, 3, "mind")


def test_two_recent_refusals_in_a_row_make_a_customer_risky() -> None:
    record = CustomerRecord(orders=2, refusals=refusals(40, 10), last_outcomes=(False, False))
    result = assess(record, NOW, RULES)
    assert (result.level, result.score) == (RiskLevel.risky, 50)
    assert ReasonKind.refused_in_a_row in kinds(result)


def test_the_readme_worked_example() -> None:
    # 5 parcels: 2 picked up, 3 refused (one of them 200 days ago), the last two refused in a row,
    # and one more order cancelled after confirming it.
    record = CustomerRecord(
        orders=6,
        received=2,
        refusals=refusals(200, 30, 12),
        cancelled_after_confirmation=1,
        last_outcomes=(False, False, True, True, False),
    )
    result = assess(record, NOW, RULES)
    assert result.score == 10 + 20 + 20 + 10 + 10 - 20 == 50
    assert result.level is RiskLevel.blacklisted  # 3 refusals, buyout 40 % < 50 %
    assert kinds(result)[:3] == [
        ReasonKind.blacklisted_automatically,
        ReasonKind.refused,
        ReasonKind.last_refusal,
    ]
    assert (result.reasons[1].count, result.reasons[1].total) == (3, 5)
    assert result.reasons[2].days == 12


def test_all_refused_is_blacklisted_with_the_score_capped_at_100() -> None:
    record = CustomerRecord(
        orders=6, refusals=refusals(1, 2, 3, 4, 5, 6), last_outcomes=(False,) * 6
    )
    result = assess(record, NOW, RULES)
    assert (result.level, result.score) == (RiskLevel.blacklisted, 100)


def test_three_refusals_with_a_good_buyout_are_not_blacklisted() -> None:
    record = CustomerRecord(
        orders=10, received=7, refusals=refusals(300, 200, 100), last_outcomes=(True,) * 3
    )
    result = assess(record, NOW, RULES)
    assert result.level is RiskLevel.ok
    assert result.score == 0  # 30 for old refusals − 70 for parcels picked up
    assert kinds(result)[-1] is ReasonKind.picked_up


def test_buyout_exactly_at_the_threshold_is_not_below_it() -> None:
    record = CustomerRecord(orders=6, received=3, refusals=refusals(300, 200, 100))
    assert assess(record, NOW, RULES).level is not RiskLevel.blacklisted


def test_a_manual_unblock_wins_until_the_next_refusal() -> None:
    base = CustomerRecord(orders=3, refusals=refusals(30, 20, 10), last_outcomes=(False,) * 3)
    assert assess(base, NOW, RULES).level is RiskLevel.blacklisted

    unblock = ManualDecision(ManualState.unblocked, at=days_ago(5), by="Марія", refusals_then=3)
    unblocked = assess(CustomerRecord(**{**base.__dict__, "manual": unblock}), NOW, RULES)
    assert unblocked.level is RiskLevel.risky  # still a high score, but no longer blacklisted
    assert unblocked.reasons[0].kind is ReasonKind.unblocked
    assert unblocked.reasons[0].by == "Марія"

    again = CustomerRecord(
        orders=4,
        refusals=refusals(30, 20, 10, 1),
        last_outcomes=(False,) * 4,
        manual=unblock,
    )
    assert assess(again, NOW, RULES).level is RiskLevel.blacklisted


def test_a_manual_blacklist_wins_over_a_clean_history() -> None:
    manual = ManualDecision(ManualState.blacklisted, at=days_ago(1), by="Марія", reason="threats")
    record = CustomerRecord(orders=5, received=5, last_outcomes=(True,) * 5, manual=manual)
    result = assess(record, NOW, RULES)
    assert (result.level, result.score) == (RiskLevel.blacklisted, 0)
    first = result.reasons[0]
    assert (first.kind, first.text, first.by) == (
        ReasonKind.blacklisted_by_manager,
        "threats",
        "Марія",
    )


def test_flags_add_points_and_are_listed() -> None:
    record = CustomerRecord(orders=1, flags=frozenset({Flag.fraud, Flag.address}))
    result = assess(record, NOW, RULES)
    assert (result.level, result.score) == (RiskLevel.risky, 60)
    flagged = next(reason for reason in result.reasons if reason.kind is ReasonKind.flagged)
    assert flagged.flags == (Flag.fraud, Flag.address)


def test_notes_are_shown_without_changing_the_score() -> None:
    record = CustomerRecord(orders=1, notes=2, last_note="asks to call after 18:00")
    result = assess(record, NOW, RULES)
    assert result.score == 0
    assert kinds(result) == [ReasonKind.note]


def test_thresholds_are_configurable() -> None:
    strict = RiskThresholds(risky_score=20, blacklist_refusals=1, blacklist_buyout=100)
    record = CustomerRecord(orders=2, received=1, refusals=refusals(5), last_outcomes=(False, True))
    assert assess(record, NOW, RULES).level is RiskLevel.ok
    assert assess(record, NOW, strict).level is RiskLevel.blacklisted


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (RiskLevel.ok, None),
        (RiskLevel.risky, RiskPolicy.alert),
        (RiskLevel.blacklisted, RiskPolicy.hold),
    ],
)
def test_policy_per_level(level: RiskLevel, expected: RiskPolicy | None) -> None:
    assert RiskPolicies().for_level(level) is expected


def test_riskiest_first_orders_by_level_then_score() -> None:
    ok = Assessment(RiskLevel.ok, 30)
    risky = Assessment(RiskLevel.risky, 45)
    riskier = Assessment(RiskLevel.risky, 90)
    black = Assessment(RiskLevel.blacklisted, 10)
    ranked = riskiest_first([("a", ok), ("b", risky), ("c", black), ("d", riskier)], 3)
    assert [name for name, _ in ranked] == ["c", "d", "b"]
