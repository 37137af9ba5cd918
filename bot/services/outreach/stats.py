"""Viber/SMS in /stats: what the period's messages became, what they cost, and whether the
customers asked by them confirmed their orders or opened the bot."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from bot.domain.outreach import month_start
from bot.domain.outreach_figures import tally
from bot.services.context import ServiceContext
from bot.views.stats import MonthSpending, OutreachFigures
from storage.uow import UnitOfWork

DEFAULT_CURRENCY: Final = "UAH"  # no orders yet: the API's default currency


async def outreach_figures(
    uow: UnitOfWork, ctx: ServiceContext, since: datetime, until: datetime
) -> OutreachFigures | None:
    """None when outreach is off and no message was due in the period: nothing to show."""
    rules = ctx.outreach
    deliveries = tally(await uow.outreach_stats.groups(since, until))
    if rules is None and not deliveries.total:
        return None
    month = None
    if rules is not None and rules.monthly_budget is not None:
        # The same figure the budget is checked against when a message is queued.
        spent = await uow.outreach.spent(month_start(until, ctx.timezone))
        month = MonthSpending(spent=spent, budget=rules.monthly_budget)
    return OutreachFigures(
        on=rules is not None,
        currency=await uow.outreach_stats.latest_currency() or DEFAULT_CURRENCY,
        deliveries=deliveries,
        results=await uow.outreach_stats.confirm_results(since, until),
        month=month,
    )
