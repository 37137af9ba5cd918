"""Ukrposhta's event codes: every code in the refdata has a decision; the storage rule."""

from __future__ import annotations

from datetime import date

import pytest

from bot.carriers.ukrposhta import statuses
from bot.carriers.ukrposhta.storage import paid_storage_from
from bot.domain.shipments import ShipmentStatus
from tests.carriers import ukrposhta_refdata


def test_the_refdata_lists_codes():
    ukrposhta_refdata.load(ukrposhta_refdata.FACTS)  # skipped (failed on CI) without the refdata
    assert len(ukrposhta_refdata.documented_codes()) >= 40


@pytest.mark.parametrize("code", ukrposhta_refdata.documented_codes())
def test_every_documented_code_is_mapped_or_knowingly_ignored(code: str):
    assert statuses.is_known(code)


def test_mapped_and_ignored_do_not_overlap():
    assert not set(statuses.MAPPED) & set(statuses.IGNORED)


@pytest.mark.parametrize(
    ("code", "reason", "status"),
    [
        ("10601", None, ShipmentStatus.created),
        ("10100", None, ShipmentStatus.in_transit),
        ("21500", 1, ShipmentStatus.in_transit),
        ("21700", 1, ShipmentStatus.arrived),
        ("41000", 1, ShipmentStatus.received),
        ("41000", 10, ShipmentStatus.returned),  # refdata return_rule: handed back to the sender
        ("41000", "10", ShipmentStatus.returned),
        ("41 000", None, ShipmentStatus.received),  # the tables print codes with spaces
        (41010, None, ShipmentStatus.returned),
        ("31200", None, ShipmentStatus.returning),
        ("31100", None, ShipmentStatus.delivery_failed),
        ("10603", None, None),
        ("99999", None, None),
        (None, None, None),
        (True, None, None),
        (["41000"], None, None),
    ],
)
def test_event_status(code: object, reason: object, status: ShipmentStatus | None):
    assert statuses.event_status(code, reason) == status


def test_an_unknown_code_is_logged(caplog: pytest.LogCaptureFixture):
    assert statuses.event_status("99999") is None
    assert "unknown Ukrposhta event code" in caplog.text


@pytest.mark.parametrize(
    ("arrived", "paid_from"),
    [
        (date(2026, 11, 16), date(2026, 11, 24)),  # Mon: free Tue-Mon, paid from Tue
        (date(2026, 11, 19), date(2026, 11, 27)),  # Thu: free Fri, Mon-Thu, paid from Fri
        (date(2026, 11, 20), date(2026, 11, 28)),  # Fri: free Mon-Fri, paid from Sat
        (date(2026, 11, 21), date(2026, 11, 28)),  # Sat: free Mon-Fri, paid from Sat
        (date(2026, 11, 22), date(2026, 11, 28)),  # Sun: likewise
    ],
)
def test_five_working_days_of_free_storage(arrived: date, paid_from: date):
    assert paid_storage_from(arrived) == paid_from
