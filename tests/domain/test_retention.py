"""Which finished rows housekeeping deletes, and when its walk may stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.retention import Bookkeeping, Sweep, sweep

CUTOFF = datetime(2026, 11, 1, tzinfo=UTC)
OLD = CUTOFF - timedelta(days=3)
NEW = CUTOFF + timedelta(hours=1)


def test_rows_finished_before_the_cutoff_go_the_rest_stay():
    batch = [
        Bookkeeping(1, OLD, OLD + timedelta(minutes=1)),  # sent long ago
        Bookkeeping(2, OLD, None),  # still waiting: never deleted, however old
        Bookkeeping(3, OLD, NEW),  # made long ago, finished only lately (a retried webhook)
        Bookkeeping(4, OLD, CUTOFF),  # finished exactly at the cutoff: kept
        Bookkeeping(5, NEW, NEW),
    ]
    assert sweep(batch, cutoff=CUTOFF) == Sweep(expired=[1], last_id=5, done=False)


def test_a_batch_of_only_newer_rows_ends_the_walk():
    batch = [Bookkeeping(8, NEW, NEW), Bookkeeping(9, NEW, None)]
    assert sweep(batch, cutoff=CUTOFF) == Sweep(expired=[], last_id=9, done=True)


def test_an_old_row_still_waiting_does_not_end_the_walk():
    assert sweep([Bookkeeping(3, OLD, None)], cutoff=CUTOFF) == Sweep([], 3, done=False)


def test_an_empty_batch_ends_the_walk():
    assert sweep([], cutoff=CUTOFF) == Sweep(expired=[], last_id=None, done=True)
