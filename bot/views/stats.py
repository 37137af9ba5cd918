"""The /stats report as services compute it and texts and the chart draw it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from bot.domain.feedback import RefusalReason
from bot.domain.outreach_figures import Deliveries
from bot.domain.periods import ReportPeriod
from bot.domain.risk import Assessment
from bot.views.returns import ReturnFigures
from storage.repositories.outreach_stats import ConfirmResults
from storage.repositories.reports import Confirmations
from storage.repositories.stats import Outcomes


@dataclass(frozen=True)
class WeekOutcomes:
    """How the parcels that finished in one ISO week (its part inside the period) ended."""

    monday: date  # in the shop's time zone
    outcomes: Outcomes


@dataclass(frozen=True)
class RefusalCount:
    reason: RefusalReason | None  # None: the customer did not say why
    count: int


@dataclass(frozen=True)
class RiskyLine:
    """A customer the risk rating warns about."""

    name: str
    phone: str
    assessment: Assessment


@dataclass(frozen=True)
class MonthSpending:
    """This calendar month's Viber/SMS spending against OUTREACH_MONTHLY_BUDGET."""

    spent: Decimal  # as the budget counts it: the messages sent or queued this month
    budget: Decimal


@dataclass(frozen=True)
class OutreachFigures:
    """Viber/SMS in the period: the messages, what they cost, and what the customers did next."""

    on: bool  # outreach is on now (when off, the block shows the period's past messages)
    currency: str  # the shop's, in which SMS_PRICE and VIBER_PRICE are set
    deliveries: Deliveries
    results: ConfirmResults
    month: MonthSpending | None = None  # only when a monthly budget is set


@dataclass(frozen=True)
class StatsReport:
    period: ReportPeriod
    since: datetime  # UTC, exclusive
    until: datetime  # UTC, inclusive: when the report was made
    outcomes: Outcomes  # the whole period; the sum of ``weeks``
    weeks: tuple[WeekOutcomes, ...]  # oldest first; the first and last are usually partial
    confirmations: Confirmations
    refusals: tuple[RefusalCount, ...]  # most frequent first; their sum is ``refused_orders``
    top_risky: tuple[RiskyLine, ...] = ()
    returns: ReturnFigures = field(default_factory=ReturnFigures)  # by reason and by product
    outreach: OutreachFigures | None = None  # None: outreach is off and sent nothing in the period

    @property
    def refused_orders(self) -> int:
        """Orders refused in the period (a refused order later returned counts here too)."""
        return sum(line.count for line in self.refusals)
