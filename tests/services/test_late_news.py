"""News learnt late: the order's history carries when it happened, and every rule that counts
days counts from then (the return window, the rating)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from bot.carriers.base import CarrierUpdate
from bot.domain.orders import Carrier
from bot.domain.periods import ReportPeriod
from bot.domain.risk import ReasonKind
from bot.domain.shipments import ShipmentStatus
from bot.services import carrier_sync, risk, shipments
from bot.services.confirmation import confirm
from bot.services.digest import send_digest
from bot.services.intake import intake_order
from bot.services.returns import request
from bot.services.shipments import ShipmentUpdate
from bot.services.stats import stats_report
from bot.services.timers import run_due_timers
from storage.models import OrderEvent
from storage.repositories.stats import Outcomes
from tests.factories import MANAGER, OLENA, new_order

WAYBILL = "20450000000000"
TWENTY_DAYS_AGO = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


async def shipped_then_silence(db, ctx, clock):
    """Olena's order was shipped on 20 November; the bot hears nothing until 15 December."""
    order = (await intake_order(db, ctx, new_order(telegram_id=OLENA.id))).order
    await confirm(db, ctx, order.id, OLENA, None)
    await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, WAYBILL)
    await run_due_timers(db, ctx)
    clock.advance(datetime(2026, 12, 15, 10, 0, tzinfo=UTC) - clock.now())
    return order


async def history(db, order_id):
    async with db.uow() as uow:
        query = select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
        return [(event.to_status, event.occurred_at) for event in await uow.session.scalars(query)]


async def test_a_parcel_received_twenty_days_ago_is_not_returnable_today(db, ctx, clock):
    order = await shipped_then_silence(db, ctx, clock)

    late = ShipmentUpdate(status=ShipmentStatus.received, occurred_at=TWENTY_DAYS_AGO)
    await shipments.record_shipment_event(db, ctx, WAYBILL, late)

    *_, received = await history(db, order.id)
    assert received == ("received", TWENTY_DAYS_AGO)
    async with db.uow() as uow:
        [hook] = [
            row.payload["body"]
            for row in await uow.outbox.pending(1000)
            if row.channel == "webhook" and row.payload["body"]["event"] == "shipment.received"
        ]
    assert hook["occurred_at"] == TWENTY_DAYS_AGO.isoformat()
    [listed] = await request.returnable_orders(db, ctx, OLENA)
    assert listed.received_on.isoformat() == "2026-11-25"
    assert listed.last_day.isoformat() == "2026-12-09"
    assert not listed.window_open
    await run_due_timers(db, ctx)
    async with db.uow() as uow:
        [thanks] = [
            row for row in await uow.outbox.pending(1000) if "🎉" in row.payload.get("text", "")
        ]
    buttons = [b["text"] for row in thanks.payload["reply_markup"]["inline_keyboard"] for b in row]
    assert not any("повернути" in text.lower() for text in buttons)  # the window is closed


async def test_a_refusal_learnt_late_is_as_old_as_it_is(db, ctx, clock):
    await shipped_then_silence(db, ctx, clock)

    late = ShipmentUpdate(status=ShipmentStatus.refused, occurred_at=TWENTY_DAYS_AGO)
    await shipments.record_shipment_event(db, ctx, WAYBILL, late)

    async with db.uow() as uow:
        rated = await risk.rate(uow, ctx, await uow.customers.by_phone("+380501234567"))
    last = next(r for r in rated.assessment.reasons if r.kind is ReasonKind.last_refusal)
    assert last.days == 20


async def test_a_moment_in_the_future_or_before_the_order_is_bounded(db, ctx, clock):
    order = await shipped_then_silence(db, ctx, clock)
    now = clock.now()

    ahead = ShipmentUpdate(status=ShipmentStatus.arrived, occurred_at=now + timedelta(hours=5))
    await shipments.record_shipment_event(db, ctx, WAYBILL, ahead)
    garbled = datetime(2001, 1, 1, tzinfo=UTC)
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.received, occurred_at=garbled)
    )

    *_, arrived, received = await history(db, order.id)
    assert arrived == ("arrived", now)
    assert received == ("received", datetime(2026, 11, 20, 8, 0, tzinfo=UTC))  # order created


async def test_weekly_buyout_and_the_digest_count_it_when_it_happened(db, ctx, clock):
    await shipped_then_silence(db, ctx, clock)  # now: Tuesday 15 December
    late = ShipmentUpdate(status=ShipmentStatus.received, occurred_at=TWENTY_DAYS_AGO)
    await shipments.record_shipment_event(db, ctx, WAYBILL, late)

    report = await stats_report(db, ctx, MANAGER, ReportPeriod.month)
    by_week = {week.monday.isoformat(): week.outcomes for week in report.weeks}
    assert by_week["2026-11-23"] == Outcomes(received=1)
    assert by_week["2026-12-14"] == Outcomes()

    assert await send_digest(db, ctx, at=time(10, 0))
    async with db.uow() as uow:
        [digest] = [
            row.payload["text"]
            for row in await uow.outbox.pending(1000)
            if "📊" in row.payload.get("text", "")
        ]
    [last_week] = [line for line in digest.splitlines() if "7 днів" in line]
    assert "отримано" not in last_week  # no parcel finished in the last 7 days
    assert "За останні 30 днів: <b>100%</b> (отримано: 1, відмови: 0, повернення: 0)" in digest


async def test_the_nova_poshta_scan_time_goes_into_the_history(db, ctx, clock):
    """The poller catching up after downtime: NP's RecipientDateTime, not the poll's moment."""
    order = await shipped_then_silence(db, ctx, clock)
    update = CarrierUpdate(
        tracking_number=WAYBILL,
        status=ShipmentStatus.received,
        carrier_code="9",
        occurred_at=TWENTY_DAYS_AGO,
    )

    assert await carrier_sync.apply_carrier_update(db, ctx, update)

    *_, received = await history(db, order.id)
    assert received == ("received", TWENTY_DAYS_AGO)
