"""/stats figures: buyout rate (total and by week), confirmation rate, refusals by reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.botapi.html import parse_html
from bot.domain.errors import NotAllowed
from bot.domain.feedback import FeedbackKind, RefusalReason
from bot.domain.orders import CancelReason, OrderStatus
from bot.domain.periods import ReportPeriod
from bot.domain.risk import Assessment, Reason, ReasonKind, RiskLevel
from bot.services.confirmation import cancel, confirm
from bot.services.intake import intake_order
from bot.services.people import TelegramUser
from bot.services.shop_status import set_status_by_shop
from bot.services.stats import stats_report
from bot.texts.digest import text_length
from bot.texts.stats import MAX_CAPTION, stats_text
from bot.views.stats import RefusalCount, RiskyLine
from storage.models import Feedback, OrderEvent
from storage.repositories.reports import Confirmations
from storage.repositories.stats import Outcomes
from tests.factories import MANAGER, STRANGER, new_order

KYIV = ZoneInfo("Europe/Kyiv")
S = OrderStatus


def kyiv(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=KYIV)


def move_to(clock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


def customer(n: int) -> TelegramUser:
    return TelegramUser(id=7000 + n, full_name=f"Customer {n}")


async def order(db, ctx, n: int, *, linked: bool = False) -> int:
    data = new_order(
        f"S-{n}",
        phone=f"+3805000001{n:02d}",
        name=f"Customer {n}",
        telegram_id=customer(n).id if linked else None,
    )
    return (await intake_order(db, ctx, data)).order.id


async def move(db, ctx, n: int, *statuses: OrderStatus) -> None:
    for status in statuses:
        await set_status_by_shop(db, ctx, f"S-{n}", status, None)


async def refusal_reason(db, n: int, value: str) -> None:
    """What the customer said (or an importer stored): a refusal feedback row."""
    async with db.uow() as uow:
        found = await uow.orders.by_external_id(f"S-{n}")
        uow.feedback.add(
            Feedback(
                order_id=found.id,
                customer_id=found.customer_id,
                kind=FeedbackKind.refusal.value,
                value=value,
                created_at=uow.clock.now(),
            )
        )
        await uow.commit()


async def imported_outcome(db, n: int, status: OrderStatus) -> None:
    """History imported from the shop's past: a status event and nothing else, no parcel."""
    async with db.uow() as uow:
        found = await uow.orders.by_external_id(f"S-{n}")
        uow.orders.add_event(
            OrderEvent(
                order_id=found.id,
                kind="status",
                from_status=found.status,
                to_status=status.value,
                source="shop",
                occurred_at=uow.clock.now(),
            )
        )
        await uow.commit()


async def seed(db, ctx, clock) -> None:
    """Outcomes around the 30 days before Wednesday 23 Dec 2026, 12:00 in Kyiv."""
    for n in range(1, 12):  # created on 20 Nov, before the period
        await order(db, ctx, n)
        await move(db, ctx, n, S.confirmed, S.shipped)
    await move(db, ctx, 10, S.refused)  # refused before the period...
    move_to(clock, kyiv(11, 23, 11))
    await move(db, ctx, 1, S.received)  # an hour before the period begins
    move_to(clock, kyiv(11, 23, 13))
    await move(db, ctx, 2, S.received)
    move_to(clock, kyiv(11, 24))
    await move(db, ctx, 10, S.returned)  # ...and returned in it: counts, but not as a refusal
    move_to(clock, kyiv(11, 25))
    await move(db, ctx, 3, S.refused)
    await refusal_reason(db, 3, RefusalReason.too_expensive.value)

    move_to(clock, kyiv(12, 1))
    await move(db, ctx, 3, S.returned)  # the order counts once, by this last outcome
    # Orders created in the period, for the confirmation rate.
    for n in range(21, 26):
        await order(db, ctx, n, linked=True)
    await confirm(db, ctx, await order_id(db, 21), customer(21), None)
    await move(db, ctx, 22, S.confirmed, S.cancelled)  # confirmed by phone, then cancelled
    await cancel(
        db, ctx, await order_id(db, 23), customer(23), CancelReason.changed_mind, None, None
    )
    await move(db, ctx, 25, S.on_hold)  # still waiting, like 24

    move_to(clock, kyiv(12, 2))
    await move(db, ctx, 4, S.received)
    move_to(clock, kyiv(12, 8))
    await move(db, ctx, 5, S.refused)  # no reason given
    move_to(clock, kyiv(12, 9))
    await move(db, ctx, 6, S.refused)
    await refusal_reason(db, 6, RefusalReason.not_as_described.value)
    move_to(clock, kyiv(12, 10))
    await move(db, ctx, 7, S.refused)
    await refusal_reason(db, 7, RefusalReason.too_expensive.value)
    await move(db, ctx, 11, S.refused)
    await refusal_reason(db, 11, "legacy")  # not a reason we know any more: "other"
    move_to(clock, kyiv(12, 15))
    await imported_outcome(db, 9, S.received)
    move_to(clock, kyiv(12, 21, 0))  # Monday midnight: the first moment of the last week
    await move(db, ctx, 8, S.received)
    move_to(clock, kyiv(12, 23))


async def order_id(db, n: int) -> int:
    async with db.uow() as uow:
        return (await uow.orders.by_external_id(f"S-{n}")).id


async def test_figures_of_the_last_30_days(db, ctx, clock):
    await seed(db, ctx, clock)
    report = await stats_report(db, ctx, MANAGER, ReportPeriod.month)

    assert report.until == kyiv(12, 23) and report.since == kyiv(11, 23)
    # Received: 2, 4, 9 (imported, no parcel), 8. Refused: 5, 6, 7, 11. Returned: 10, 3.
    assert report.outcomes == Outcomes(received=4, refused=4, returned=2)
    assert [(week.monday, week.outcomes) for week in report.weeks] == [
        (date(2026, 11, 23), Outcomes(received=1, returned=1)),
        (date(2026, 11, 30), Outcomes(received=1, returned=1)),
        (date(2026, 12, 7), Outcomes(refused=4)),
        (date(2026, 12, 14), Outcomes(received=1)),
        (date(2026, 12, 21), Outcomes(received=1)),
    ]
    assert report.refusals == (
        RefusalCount(RefusalReason.too_expensive, 2),
        RefusalCount(RefusalReason.not_as_described, 1),
        RefusalCount(RefusalReason.other, 1),
        RefusalCount(None, 1),
    )
    assert report.refused_orders == 5
    # Created in the period: 21 (confirmed), 22 (confirmed, then cancelled), 23 (cancelled),
    # 24 and 25 still waiting.
    assert report.confirmations == Confirmations(created=5, answered=3, confirmed=2)
    assert report.confirmations.waiting == 2
    assert report.top_risky == ()


async def test_figures_of_the_last_7_days(db, ctx, clock):
    await seed(db, ctx, clock)
    report = await stats_report(db, ctx, MANAGER, ReportPeriod.week)
    assert report.outcomes == Outcomes(received=1)
    assert [(week.monday, week.outcomes) for week in report.weeks] == [
        (date(2026, 12, 14), Outcomes()),
        (date(2026, 12, 21), Outcomes(received=1)),
    ]
    assert report.refusals == ()
    assert report.confirmations == Confirmations()


async def test_nothing_happened_yet(db, ctx):
    report = await stats_report(db, ctx, MANAGER, ReportPeriod.quarter)
    assert report.outcomes == Outcomes() and report.outcomes.finished == 0
    assert len(report.weeks) == 14 and all(not w.outcomes.finished for w in report.weeks)
    assert report.refusals == () and report.confirmations == Confirmations()


async def test_only_admins_see_the_figures(db, ctx):
    with pytest.raises(NotAllowed):
        await stats_report(db, ctx, STRANGER, ReportPeriod.month)


async def test_the_text_shows_counts_and_rates(db, ctx, clock):
    await seed(db, ctx, clock)
    report = await stats_report(db, ctx, MANAGER, ReportPeriod.month)
    text = stats_text(report, ctx.catalogs("en"))
    assert text.splitlines() == [
        "📊 <b>Statistics for the last 30 days</b> (23 November – 23 December)",
        "",
        "📈 <b>Buyout rate</b>: <b>40%</b> — 4 of 10 parcels picked up (refused: 4, returned: 2)",
        "✅ <b>Confirmation rate</b>: <b>67%</b> — 2 of 3 answered orders confirmed "
        "(2 new orders still waiting for an answer)",
        "",
        "↩️ <b>Refusals by reason</b>: 5",
        "• Too expensive: 2",
        "• Not as described: 1",
        "• Other reason: 1",
        "• no reason given yet: 1",
    ]
    assert text_length(text) <= MAX_CAPTION  # fits under the chart


async def test_nothing_to_divide_by_is_said_in_words(db, ctx):
    report = await stats_report(db, ctx, MANAGER, ReportPeriod.week)
    text = stats_text(report, ctx.catalogs("en"))
    assert "Buyout rate</b>: no parcels finished in this period." in text
    assert "Confirmation rate</b>: no answered orders in this period." in text
    assert "No refusals in this period." in text and "%" not in text


async def test_risky_customers_are_escaped_and_give_way_to_the_limit(db, ctx):
    report = await stats_report(db, ctx, MANAGER, ReportPeriod.month)
    risky = tuple(
        RiskyLine(
            f"Іван <Бос> & Ко {n}",
            "+380671234567",
            Assessment(
                RiskLevel.risky, 90 - n, (Reason(ReasonKind.note, count=1, text="3 refusals <b>"),)
            ),
        )
        for n in range(60)
    )
    text = stats_text(replace(report, top_risky=risky), ctx.catalogs("en"))
    parse_html(text)  # valid Telegram HTML, or it raises
    assert "Top risky customers" in text
    assert (
        "• <b>Іван &lt;Бос&gt; &amp; Ко 0</b>, +380671234567 — ⚠️ risky · 90 · "
        "1 note, the latest: “3 refusals &lt;b&gt;”" in text
    )
    assert 0 < text.count("Іван") < 60 and text_length(text) <= 4096
