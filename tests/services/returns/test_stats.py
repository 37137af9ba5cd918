"""Returns in /stats: requests by reason and the most returned products, with their reasons."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.botapi.html import parse_html
from bot.domain.languages import Language
from bot.domain.new_order import NewItem
from bot.domain.periods import ReportPeriod
from bot.domain.return_draft import Photo
from bot.domain.returns import ReturnReason, ReturnStatus
from bot.services.returns.shop import ShopMove, move_by_shop
from bot.services.stats import stats_report
from bot.texts.stats import stats_text
from bot.views.returns import ReasonCount, ReturnedProduct
from tests.factories import MANAGER
from tests.services.returns.helpers import submitted_return

R = ReturnReason
SHIRT = NewItem(name="Футболка M", quantity=2, price=Decimal("450.00"))
SOCKS = NewItem(name="Шкарпетки <вовна>", quantity=3, price=Decimal("100.00"))


@pytest.fixture
def ctx(ctx):
    return replace(ctx, default_language=Language.en)


async def test_returns_by_reason_and_by_product(db, ctx, clock):
    await submitted_return(db, ctx, external_id="OLD", items=(SOCKS,))  # before the period
    clock.advance(timedelta(days=40))
    await submitted_return(db, ctx, external_id="A-1", items=(SHIRT, SOCKS), lines={0: 1})
    await submitted_return(
        db,
        ctx,
        external_id="A-2",
        items=(SHIRT, SOCKS),
        lines={1: 3},
        reason=R.defective,
        photos=(Photo("photo-1", "unique-1"),),
    )
    withdrawn = await submitted_return(db, ctx, external_id="A-3", items=(SOCKS,))
    await move_by_shop(db, ctx, withdrawn.id, ShopMove(ReturnStatus.cancelled))

    report = await stats_report(db, ctx, MANAGER, ReportPeriod.month)

    assert report.returns.requests == 2
    assert report.returns.reasons == (ReasonCount(R.wrong_size, 1), ReasonCount(R.defective, 1))
    assert report.returns.products == (
        ReturnedProduct("Шкарпетки <вовна>", 3, (ReasonCount(R.defective, 3),)),
        ReturnedProduct("Футболка M", 1, (ReasonCount(R.wrong_size, 1),)),
    )
    text = stats_text(report, ctx.catalogs(Language.en))
    parse_html(text)  # valid Telegram HTML
    assert "📦 <b>Return requests by reason</b>: 2\n• Wrong size: 1\n• Defective: 1" in text
    assert "• Шкарпетки &lt;вовна&gt;: 3 pieces (defective 3)" in text
    assert "• Футболка M: 1 piece (wrong size 1)" in text


async def test_no_returns_no_return_lines(db, ctx):
    report = await stats_report(db, ctx, MANAGER, ReportPeriod.month)
    assert report.returns.requests == 0
    assert "Return requests" not in stats_text(report, ctx.catalogs(Language.en))
