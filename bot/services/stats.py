"""/stats for admins: how the shop's orders ended over the last 7, 30 or 90 days."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.feedback import RefusalReason
from bot.domain.periods import ReportPeriod, weeks_between
from bot.services import risk
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.outreach.stats import outreach_figures
from bot.services.people import TelegramUser
from bot.services.returns.stats import return_figures
from bot.views.stats import RefusalCount, RiskyLine, StatsReport, WeekOutcomes
from storage.repositories.stats import Outcomes
from storage.uow import Database

TOP_RISKY = 5


def _reason(value: str) -> RefusalReason:
    try:
        return RefusalReason(value)
    except ValueError:
        return RefusalReason.other


def _refusal_counts(rows: Mapping[str | None, int]) -> tuple[RefusalCount, ...]:
    """Known reasons by frequency (ties in the reasons' own order), "no reason" last.

    A value that is no longer a RefusalReason (old or imported data) counts as "other".
    """
    by_reason: dict[RefusalReason, int] = {}
    missing = 0
    for value, count in rows.items():
        if value is None:
            missing += count
            continue
        reason = _reason(value)
        by_reason[reason] = by_reason.get(reason, 0) + count
    order = list(RefusalReason)
    lines = [
        RefusalCount(reason, count)
        for reason, count in sorted(by_reason.items(), key=lambda kv: (-kv[1], order.index(kv[0])))
    ]
    if missing:
        lines.append(RefusalCount(None, missing))
    return tuple(lines)


def _total(parts: list[Outcomes]) -> Outcomes:
    return Outcomes(
        received=sum(part.received for part in parts),
        refused=sum(part.refused for part in parts),
        returned=sum(part.returned for part in parts),
    )


async def stats_report(
    db: Database, ctx: ServiceContext, user: TelegramUser, period: ReportPeriod
) -> StatsReport:
    """The figures of the period ending now; only admins may see them."""
    require_admin(ctx, user)
    # One transaction, not a read: its figures must agree (the refusals add up to the refused).
    async with db.uow() as uow:
        since, until = period.window(uow.clock.now())
        weeks = weeks_between(since, until, ctx.timezone)
        splits = [week.end for week in weeks[:-1]]
        parts = await uow.reports.outcomes_split(since, until, splits)
        confirmations = await uow.reports.confirmations(since, until)
        refusals = _refusal_counts(await uow.reports.refusal_reasons(since, until))
        top_risky = tuple(
            RiskyLine(one.customer.name, one.customer.phone, one.assessment)
            for one in await risk.top_risky(uow, ctx, TOP_RISKY)
        )
        returns = await return_figures(uow, since, until)
        outreach = await outreach_figures(uow, ctx, since, until)
    return StatsReport(
        period=period,
        since=since,
        until=until,
        outcomes=_total(parts),
        weeks=tuple(
            WeekOutcomes(week.monday, outcomes) for week, outcomes in zip(weeks, parts, strict=True)
        ),
        confirmations=confirmations,
        refusals=refusals,
        top_risky=top_risky,
        returns=returns,
        outreach=outreach,
    )
