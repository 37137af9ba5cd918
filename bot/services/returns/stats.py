"""Returns in /stats: why customers send things back, and which products, so the cause gets fixed."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from bot.domain.returns import ReturnReason
from bot.views.returns import ReasonCount, ReturnedProduct, ReturnFigures
from storage.uow import UnitOfWork

TOP_PRODUCTS = 5


def _reason(value: str) -> ReturnReason:
    try:
        return ReturnReason(value)
    except ValueError:  # a reason no longer offered counts as "other"
        return ReturnReason.other


def _ranked(counts: Counter[ReturnReason]) -> tuple[ReasonCount, ...]:
    order = list(ReturnReason)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0])))
    return tuple(ReasonCount(reason, count) for reason, count in ranked if count)


async def return_figures(uow: UnitOfWork, since: datetime, until: datetime) -> ReturnFigures:
    by_reason: Counter[ReturnReason] = Counter()
    for value, count in (await uow.reports.return_reasons(since, until)).items():
        by_reason[_reason(value)] += count
    per_product: defaultdict[str, Counter[ReturnReason]] = defaultdict(Counter)
    for name, value, pieces in await uow.reports.returned_items(since, until):
        per_product[name][_reason(value)] += pieces
    products = sorted(
        (
            ReturnedProduct(name, sum(reasons.values()), _ranked(reasons))
            for name, reasons in per_product.items()
        ),
        key=lambda product: (-product.pieces, product.name),
    )
    return ReturnFigures(_ranked(by_reason), tuple(products[:TOP_PRODUCTS]))
