"""The /stats report as services compute it and texts and the chart draw it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain.feedback import RefusalReason
from bot.domain.periods import ReportPeriod
from bot.domain.risk import Assessment
from bot.views.returns import ReturnFigures
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

    @property
    def refused_orders(self) -> int:
        """Orders refused in the period (a refused order later returned counts here too)."""
        return sum(line.count for line in self.refusals)
