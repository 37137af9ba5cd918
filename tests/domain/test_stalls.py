"""Which rule a parcel breaks, and since when: each rule's limits, its edges, and off."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.orders import OrderStatus
from bot.domain.shipments import ShipmentStatus
from bot.domain.stalls import ParcelFacts, Stalled, StallLimits, StallRule, stall_of

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
TODAY = date(2026, 12, 7)
LIMITS = StallLimits()
OFF = StallLimits(not_shipped=None, not_scanned=None, in_transit=None, storage_left=None)


def check(facts: ParcelFacts, limits: StallLimits = LIMITS) -> Stalled | None:
    return stall_of(facts, limits, now=NOW, today=TODAY)


def confirmed(ago: timedelta) -> ParcelFacts:
    return ParcelFacts(order_status=OrderStatus.confirmed, confirmed_at=NOW - ago)


def waybill(ago: timedelta, status: ShipmentStatus | None = None) -> ParcelFacts:
    return ParcelFacts(
        order_status=OrderStatus.shipped,
        has_shipment=True,
        shipment_status=status,
        waybill_at=NOW - ago,
    )


def travelling(ago: timedelta) -> ParcelFacts:
    return ParcelFacts(
        order_status=OrderStatus.shipped,
        has_shipment=True,
        shipment_status=ShipmentStatus.in_transit,
        waybill_at=NOW - timedelta(days=30),
        in_transit_since=NOW - ago,
    )


def waiting(
    paid_from: date | None, *, reachable: bool = False, answered: bool = False
) -> ParcelFacts:
    return ParcelFacts(
        order_status=OrderStatus.arrived,
        has_shipment=True,
        shipment_status=ShipmentStatus.arrived,
        arrived_at=NOW - timedelta(days=4),
        paid_storage_from=paid_from,
        reachable=reachable,
        answered=answered,
    )


def test_confirmed_without_a_waybill_stalls_at_exactly_the_limit() -> None:
    assert check(confirmed(timedelta(days=2) - timedelta(seconds=1))) is None
    assert check(confirmed(timedelta(days=2))) == Stalled(
        StallRule.not_shipped, NOW - timedelta(days=2)
    )


def test_an_order_not_yet_confirmed_or_with_no_known_moment_never_stalls() -> None:
    assert (
        check(ParcelFacts(order_status=OrderStatus.new, confirmed_at=NOW - timedelta(days=9)))
        is None
    )
    assert check(ParcelFacts(order_status=OrderStatus.confirmed)) is None


@pytest.mark.parametrize("status", [None, ShipmentStatus.created])
def test_a_waybill_never_scanned_stalls_after_its_limit(status: ShipmentStatus | None) -> None:
    assert check(waybill(timedelta(days=1, hours=23), status)) is None
    found = check(waybill(timedelta(days=2), status))
    assert found is not None and found.rule is StallRule.not_scanned


def test_in_transit_counts_from_the_carriers_moment_not_the_waybill() -> None:
    assert check(travelling(timedelta(days=4, hours=23))) is None
    assert check(travelling(timedelta(days=5))) == Stalled(
        StallRule.in_transit, NOW - timedelta(days=5)
    )


def test_a_parcel_that_moved_on_breaks_no_rule() -> None:
    for status in (
        ShipmentStatus.delivery_failed,
        ShipmentStatus.received,
        ShipmentStatus.refused,
        ShipmentStatus.returning,
        ShipmentStatus.storage_ended,
    ):
        facts = ParcelFacts(
            order_status=OrderStatus.shipped,
            has_shipment=True,
            shipment_status=status,
            waybill_at=NOW - timedelta(days=30),
            in_transit_since=NOW - timedelta(days=30),
        )
        assert check(facts) is None


def test_a_waiting_parcel_stalls_with_fewer_than_two_free_days_and_a_silent_customer() -> None:
    # Paid storage from the 9th: the 7th and the 8th are free, two days: not yet.
    assert check(waiting(date(2026, 12, 9))) is None
    # From the 8th: today is the last free day.
    found = check(waiting(date(2026, 12, 8)))
    assert found == Stalled(StallRule.pickup_at_risk, NOW - timedelta(days=4))
    # Paid storage already running: still at risk until the carrier sends it back.
    assert check(waiting(date(2026, 12, 1))) is not None


def test_a_reachable_or_answering_customer_or_an_unknown_date_is_not_a_stall() -> None:
    assert check(waiting(date(2026, 12, 8), reachable=True)) is None
    assert check(waiting(date(2026, 12, 8), answered=True)) is None
    assert check(waiting(None)) is None


def test_more_storage_days_make_the_rule_stricter() -> None:
    three = StallLimits(storage_left=timedelta(days=3))
    assert check(waiting(date(2026, 12, 9)), three) is not None
    assert check(waiting(date(2026, 12, 10)), three) is None


def test_every_rule_can_be_turned_off() -> None:
    for facts in (
        confirmed(timedelta(days=20)),
        waybill(timedelta(days=20)),
        travelling(timedelta(days=20)),
        waiting(date(2026, 12, 1)),
    ):
        assert check(facts) is not None
        assert check(facts, OFF) is None


def test_the_query_bounds_agree_with_the_rules() -> None:
    assert LIMITS.started_before(StallRule.in_transit, NOW) == NOW - timedelta(days=5)
    assert LIMITS.started_before(StallRule.pickup_at_risk, NOW) is None
    assert OFF.started_before(StallRule.not_shipped, NOW) is None
    # Paid storage starting before the 9th leaves fewer than two free days.
    assert LIMITS.storage_ends_before(TODAY) == date(2026, 12, 9)
    assert OFF.storage_ends_before(TODAY) is None
