"""Which finished bookkeeping rows may go: sent or failed messages, timers that ran.

The outbox and the timers only grow otherwise: a shop of a million orders keeps millions of rows
nobody reads again (two thirds of its database after two years). A row goes once it is finished
and older than the shop keeps its delivery history; a message still waiting never goes.

Rows are walked in id order, oldest first, in batches. Ids grow with time, so a batch whose rows
are all newer than the cutoff ends the walk: everything after it is newer still.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# A shop sees a parcel's whole story (ordered, shipped, picked up or refused) within a month.
DEFAULT_KEEP = timedelta(days=30)
MINIMUM_KEEP = timedelta(days=1)
# A refund's IBAN and holder's name, after the money went (a bank's return of a wrong transfer
# comes within days).
DEFAULT_REFUND_DETAILS_KEEP = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Bookkeeping:
    """One outbox row or timer as the walk sees it."""

    id: int
    created_at: datetime
    finished_at: datetime | None  # sent, failed or ran; None while still to do


@dataclass(frozen=True, slots=True)
class Sweep:
    expired: list[int]  # ids to delete
    last_id: int | None  # where the next batch starts (after it); None: the batch was empty
    done: bool  # nothing after this batch can have expired


def sweep(batch: Sequence[Bookkeeping], *, cutoff: datetime) -> Sweep:
    """The rows of ``batch`` (in id order) finished before ``cutoff``, and whether to go on."""
    expired = [row.id for row in batch if row.finished_at is not None and row.finished_at < cutoff]
    if not batch:
        return Sweep(expired, None, done=True)
    all_newer = all(row.created_at >= cutoff for row in batch)
    return Sweep(expired, batch[-1].id, done=all_newer)
