"""/stats on Viber/SMS: the period's messages and what became of them, their cost against the
month's budget, and whether the customers asked by them confirmed or opened the bot."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.botapi.html import parse_html
from bot.domain.languages import Language
from bot.domain.orders import CancelReason, OrderStatus
from bot.domain.outreach import OutreachState, SkipReason
from bot.domain.outreach_figures import Deliveries, SkipCount
from bot.domain.periods import ReportPeriod
from bot.services import confirmation, linking
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.services.outreach import stops
from bot.services.people import LinkHolder, TelegramUser
from bot.services.shop_status import set_status_by_shop
from bot.services.stats import stats_report
from bot.services.web_links import PageOrder
from bot.texts.stats import stats_text
from bot.views.stats import MonthSpending
from storage.models import Order, OutreachMessage
from storage.repositories.outreach_stats import ConfirmResults
from tests.factories import MANAGER, new_order
from tests.services.outreach.conftest import RULES, Outreach

KYIV = ZoneInfo("Europe/Kyiv")
HEADER = "📱 <b>Viber/SMS</b>"


def kyiv(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=KYIV)


def move_to(clock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


def block(text: str) -> list[str]:
    """The Viber/SMS lines of the report, from its header to the next blank line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(HEADER))
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


async def order(db, ctx, n: int, *, customer: int | None = None, currency: str = "UAH") -> Order:
    """A new order of a customer outside Telegram: customer ``n`` unless told otherwise."""
    who = customer or n
    data = new_order(f"S-{n}", phone=f"+3805000002{who:02d}", name=f"Клієнт {who}")
    data = dataclasses.replace(data, currency=currency)
    result = await intake_order(db, ctx, data)
    assert result.order is not None
    return result.order


async def message(
    db,
    found: Order,
    state: OutreachState,
    *,
    purpose: str = "confirm",
    channel: str | None = None,
    reason: SkipReason | None = None,
    cost: str = "0",
) -> None:
    async with db.uow() as uow:
        uow.outreach.add(
            OutreachMessage(
                order_id=found.id,
                customer_id=found.customer_id,
                purpose=purpose,
                preference="viber_then_sms",
                state=state.value,
                skip_reason=reason.value if reason else None,
                channel=channel,
                provider="turbosms",
                parts=2,
                cost=Decimal(cost),
                created_at=uow.clock.now(),
            )
        )
        await uow.commit()


async def seed(db, ctx, clock) -> None:
    """A week of outreach before Thursday 3 Dec 2026, 12:00 in Kyiv, some of it last month."""
    S = OutreachState
    move_to(clock, kyiv(11, 20))  # before the period (and last month)
    await message(db, await order(db, ctx, 1), S.delivered, channel="sms", cost="1.60")

    move_to(clock, kyiv(11, 28))  # in the period, last month
    two = await order(db, ctx, 2)
    await message(db, two, S.delivered, channel="viber", cost="0.70")
    three = await order(db, ctx, 3)
    await message(db, three, S.read, channel="viber", cost="0.70")
    four = await order(db, ctx, 4)
    await message(db, four, S.not_delivered, channel="sms", cost="1.60")
    clock.advance(timedelta(hours=1))
    await confirmation.confirm(db, ctx, two.id, LinkHolder(two.link_token), None)
    clock.advance(timedelta(hours=1))
    await linking.link_by_token(db, ctx, three.link_token, TelegramUser(7003, "Клієнт 3"))
    await confirmation.confirm(db, ctx, three.id, TelegramUser(7003, "Клієнт 3"), None)
    await confirmation.cancel(
        db, ctx, four.id, LinkHolder(four.link_token), CancelReason.changed_mind, None, None
    )

    move_to(clock, kyiv(12, 2))  # this month
    await message(db, await order(db, ctx, 5), S.sent, cost="1.60")  # no report yet
    six = await order(db, ctx, 6)
    await message(db, six, S.delivered, purpose="arrived", channel="sms", cost="0.80")
    await message(db, await order(db, ctx, 7), S.skipped, reason=SkipReason.stopped)
    await message(db, await order(db, ctx, 8), S.skipped, reason=SkipReason.stopped)
    await message(db, await order(db, ctx, 9), S.skipped, reason=SkipReason.daily_limit)
    await message(db, await order(db, ctx, 10), S.failed)
    await message(db, await order(db, ctx, 11), S.queued, cost="1.60")
    twelve = await order(db, ctx, 12)
    await message(db, twelve, S.delivered, channel="sms", cost="0.80")
    clock.advance(timedelta(hours=1))
    # Confirmed by phone, then cancelled by the shop: the first answer counts.
    await set_status_by_shop(db, ctx, "S-12", OrderStatus.confirmed, None)
    await set_status_by_shop(db, ctx, "S-12", OrderStatus.cancelled, None)
    move_to(clock, kyiv(12, 3))


def with_budget(ctx: ServiceContext, budget: str | None) -> ServiceContext:
    rules = dataclasses.replace(RULES, monthly_budget=Decimal(budget) if budget else None)
    return dataclasses.replace(ctx, outreach=rules)


async def test_the_week_of_messages_their_cost_and_what_the_customers_did(db, ctx, clock):
    await seed(db, ctx, clock)
    report = await stats_report(db, with_budget(ctx, "500"), MANAGER, ReportPeriod.week)

    figures = report.outreach
    assert figures is not None and figures.on and figures.currency == "UAH"
    # Sent: 2, 3, 4 (last month), 5, 6, 12; order 1's went before the period.
    assert figures.deliveries == Deliveries(
        sent=6,
        viber=2,
        sms=3,
        delivered=4,
        not_delivered=2,  # 4's, and 10's that the provider never took
        failed=1,
        queued=1,
        cost=Decimal("6.20"),
        skipped=(SkipCount(SkipReason.stopped, 2), SkipCount(SkipReason.daily_limit, 1)),
        total=11,
    )
    # This month, as the budget counts: 5, 6, 12 and the queued 11 (at the most it may cost).
    assert figures.month == MonthSpending(spent=Decimal("4.80"), budget=Decimal("500"))
    # Asked to confirm and sent: 2, 3, 4, 5, 12 (6's was tracking news).
    assert figures.results == ConfirmResults(
        orders=5, confirmed=3, cancelled=1, customers=5, linked=1
    )

    text = stats_text(report, ctx.catalogs(Language.uk))
    parse_html(text)
    assert block(text) == [
        "📱 <b>Viber/SMS</b>",
        "• Надіслано: 6 повідомлень (Viber: 2, SMS: 3, канал ще невідомий: 1)",
        "• Доставлено: 4, не доставлено: 2, ще без звіту: 1",
        "• Чекає на відправлення: 1 повідомлення",
        "• Не надіслано: 3 повідомлення (клієнт просив не писати: 2, денний ліміт: 1)",
        "• Вартість: 6,20\xa0₴",
        "• Цього місяця витрачено 4,80\xa0₴ із 500,00\xa0₴",
        "• Просили підтвердити 5 замовлень — підтверджено 3 із 5 (60%), скасовано 1 із 5 (20%)",
        "• Відкрили бота після повідомлення: 1 із 5 клієнтів (20%)",
    ]


async def test_a_linked_event_before_the_message_does_not_count(db, ctx, clock):
    one = await order(db, ctx, 1, currency="EUR")
    await linking.link_by_token(db, ctx, one.link_token, TelegramUser(7001, "Клієнт 1"))
    clock.advance(timedelta(hours=1))
    # Blocked the bot since, so a second order is texted; they do not come back.
    two = await order(db, ctx, 2, customer=1, currency="EUR")
    await message(db, two, OutreachState.delivered, channel="viber", cost="0.70")
    report = await stats_report(db, with_budget(ctx, None), MANAGER, ReportPeriod.week)
    assert report.outreach is not None
    assert report.outreach.results == ConfirmResults(orders=1, customers=1, linked=0)
    assert report.outreach.month is None  # no budget: no month line
    text = stats_text(report, ctx.catalogs(Language.uk))
    assert "Цього місяця" not in text
    lines = block(text)
    assert "• Вартість: 0,70\xa0EUR" in lines  # the shop's currency: its orders'
    assert "• Відкрили бота після повідомлення: 0 із 1 клієнта (0%)" in lines


async def test_no_block_when_outreach_is_off_and_nothing_was_sent(db, ctx, clock):
    await message(db, await order(db, ctx, 1), OutreachState.delivered, cost="0.70")
    clock.advance(timedelta(days=8))  # the message is older than the week
    await order(db, ctx, 2)
    report = await stats_report(db, ctx, MANAGER, ReportPeriod.week)
    assert report.outreach is None
    text = stats_text(report, ctx.catalogs(Language.uk))
    assert "Viber" not in text and "SMS" not in text


async def test_past_messages_show_when_outreach_is_off_now(db, ctx, clock):
    await message(db, await order(db, ctx, 1), OutreachState.skipped, reason=SkipReason.budget)
    report = await stats_report(db, ctx, MANAGER, ReportPeriod.week)
    assert report.outreach is not None and not report.outreach.on
    assert block(stats_text(report, ctx.catalogs(Language.uk))) == [
        "📱 <b>Viber/SMS</b> (зараз вимкнено)",
        "• Надіслано: 0 повідомлень",
        "• Не надіслано: 1 повідомлення (бюджет місяця витрачено: 1)",
    ]


async def test_outreach_on_with_nothing_sent_says_so(db, ctx, clock):
    report = await stats_report(db, with_budget(ctx, "200"), MANAGER, ReportPeriod.month)
    assert block(stats_text(report, ctx.catalogs(Language.uk))) == [
        "📱 <b>Viber/SMS</b>",
        "• За цей період повідомлень не було.",
        "• Цього місяця витрачено 0,00\xa0₴ із 200,00\xa0₴",
    ]
    assert block(stats_text(report, ctx.catalogs(Language.en))) == [
        "📱 <b>Viber/SMS</b>",
        "• No messages in this period.",
        "• Spent 0.00\xa0UAH of 200.00\xa0UAH this month",  # no orders yet: UAH
    ]


async def test_the_real_flow_is_counted(outreach: Outreach):
    """Through the timers, the outbox and the provider's fake, as the bot runs."""
    first = await outreach.order("A-1001")
    second = await outreach.order("A-1002", phone="+380671112233")
    await stops.stop_from_page(outreach.db, PageOrder(second, Language.uk))
    await outreach.pass_time(timedelta(minutes=2))
    await outreach.send()
    (sent,) = outreach.fake.sent_to("380501234567")
    outreach.fake.deliver(sent.message_id)
    await outreach.pass_time(timedelta(minutes=5))
    await outreach.reports()
    await confirmation.confirm(
        outreach.db, outreach.ctx, first.id, LinkHolder(first.link_token), None
    )

    report = await stats_report(outreach.db, outreach.ctx, MANAGER, ReportPeriod.week)
    assert report.outreach is not None
    assert report.outreach.results == ConfirmResults(
        orders=1, confirmed=1, cancelled=0, customers=1, linked=0
    )
    assert block(stats_text(report, outreach.ctx.catalogs(Language.uk))) == [
        "📱 <b>Viber/SMS</b>",
        "• Надіслано: 1 повідомлення (Viber: 1)",
        "• Доставлено: 1, не доставлено: 0",
        "• Не надіслано: 1 повідомлення (клієнт просив не писати: 1)",
        "• Вартість: 0,70\xa0₴",
        "• Просили підтвердити 1 замовлення — підтверджено 1 із 1 (100%), скасовано 0 із 1 (0%)",
        "• Відкрили бота після повідомлення: 0 із 1 клієнта (0%)",
    ]
