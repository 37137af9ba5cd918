"""The managers' daily digest: once per DIGEST_AT slot, whatever restarts and clock jumps happen.

A slot is one day's DIGEST_AT moment in the shop's time zone. The job table remembers the last
run, so a slot is claimed in the same transaction that queues the digest: never twice, never lost.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from bot.connectors.base import SkipReason
from bot.services import stalls
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.texts import digest as texts
from storage.repositories.reports import ReportsRepository
from storage.repositories.stats import StatsRepository
from storage.uow import Database

JOB = "digest"
PERIODS = (7, 30)  # days of the buyout rate
FIRST_WINDOW = timedelta(days=1)  # refusals the very first digest looks back on
CATCH_UP = timedelta(hours=12)  # a missed slot younger than this is still sent after downtime


def _moments(now: datetime, at: time, zone: ZoneInfo) -> list[datetime]:
    """DIGEST_AT yesterday, today and tomorrow (local dates), as UTC moments."""
    today = now.astimezone(zone).date()
    return [
        datetime.combine(
            today + timedelta(days=shift), at.replace(tzinfo=None), tzinfo=zone
        ).astimezone(UTC)
        for shift in (-1, 0, 1)
    ]


def digest_slot(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The latest DIGEST_AT moment at or before ``now`` (today's or yesterday's), in UTC."""
    return max(moment for moment in _moments(now, at, zone) if moment <= now)


def next_digest(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The first DIGEST_AT moment after ``now``, in UTC."""
    return min(moment for moment in _moments(now, at, zone) if moment > now)


def pending_slot(
    now: datetime, at: time, zone: ZoneInfo, *, catch_up: timedelta = CATCH_UP
) -> datetime | None:
    """The slot to send now, if it is recent enough; None: wait for the next one."""
    slot = digest_slot(now, at, zone)
    return slot if now - slot < catch_up else None


# Platform orders a manager may want to handle by hand: cash on delivery, yet nobody was asked.
NOT_ASKED_WORTH_TELLING = (SkipReason.no_phone.value, SkipReason.too_many_items.value)


async def collect(
    stats: StatsRepository,
    reports: ReportsRepository,
    *,
    now: datetime,
    since: datetime,
    zone: ZoneInfo,
) -> texts.Digest:
    """What the digest says at ``now``; refusals are those learnt after ``since`` (news to call
    about, however old), the buyout rate counts parcels by when they finished (as /stats does)."""
    return texts.Digest(
        today=now.astimezone(zone).date(),
        waiting=await stats.waiting_parcels(texts.MAX_LINES),
        waiting_total=await stats.count_waiting(),
        refusals=await stats.refusals(since, now, texts.MAX_LINES),
        refusals_total=await stats.count_refusals(since, now),
        periods=[
            texts.Period(
                days, (await reports.outcomes_split(now - timedelta(days=days), now, []))[0]
            )
            for days in PERIODS
        ],
    )


async def send_digest(
    db: Database, ctx: ServiceContext, *, at: time, now: datetime | None = None
) -> bool:
    """Queue the digest for the slot of ``now`` unless that slot already ran; True if queued.

    Without a managers' chat nothing is sent and the slot stays unclaimed.
    """
    if ctx.manager_chat_id is None:
        return False
    async with db.uow() as uow:
        now = now or uow.clock.now()
        slot = digest_slot(now, at, ctx.timezone)
        previous = await uow.jobs.last_run(JOB)
        try:
            if not await uow.jobs.claim(JOB, due=slot, now=now):
                return False
        except IntegrityError:  # another process claimed the very first slot just now
            await uow.rollback()
            return False
        since = previous if previous is not None else slot - FIRST_WINDOW
        data = await collect(uow.stats, uow.reports, now=now, since=since, zone=ctx.timezone)
        stalled, stalled_total = await stalls.for_digest(uow, texts.MAX_LINES)
        data = replace(
            data,
            not_asked=await uow.connections.skipped_since(since, now, NOT_ASKED_WORTH_TELLING),
            stalled=stalled,
            stalled_total=stalled_total,
            zone=ctx.timezone,
        )
        notifier = Notifier(uow, ctx)
        notifier.to_managers(texts.digest(data, notifier.managers_translator))
        await uow.commit()
        return True
