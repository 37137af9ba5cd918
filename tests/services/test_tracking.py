"""Parcels: each status heard once, in order, at a decent hour; reminders stop when they should."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain.orders import Carrier, OrderStatus
from bot.domain.quiet_hours import QuietMode
from bot.domain.shipments import ShipmentStatus
from bot.services import carrier_sync, shipments
from bot.services.confirmation import confirm
from bot.services.intake import intake_order
from bot.services.shipments import InvalidTrackingNumber, ShipmentConflict, ShipmentUpdate
from bot.services.shop_status import set_status_by_shop
from bot.services.timers import run_due_timers
from tests.factories import OLENA, new_order

WAYBILL = "20450000000000"


async def texts_to(db, chat_id):
    async with db.uow() as uow:
        return [
            row.payload.get("text", "")
            for row in await uow.outbox.pending(1000)
            if row.chat_id == chat_id
        ]


async def shipped_order(db, ctx, *, telegram_id=OLENA.id, external_id="A-1001", waybill=WAYBILL):
    order = (await intake_order(db, ctx, new_order(external_id, telegram_id=telegram_id))).order
    if telegram_id is not None:
        await confirm(db, ctx, order.id, OLENA, None)
    else:
        await set_status_by_shop(db, ctx, external_id, OrderStatus.confirmed, None)
    await shipments.attach_shipment(db, ctx, external_id, Carrier.nova_poshta, waybill)
    await run_due_timers(db, ctx)
    return order


def arrived(**extra) -> ShipmentUpdate:
    fields = {
        "point": "Відділення №12, вул. Хрещатик, 1",
        "paid_storage_from": date(2026, 11, 27),
        **extra,
    }
    return ShipmentUpdate(status=ShipmentStatus.arrived, **fields)


async def test_shipped_then_arrived_with_everything_needed_at_the_counter(db, ctx):
    await shipped_order(db, ctx)
    [*_, shipped] = await texts_to(db, OLENA.id)
    assert "🚚" in shipped and WAYBILL in shipped and "Нова пошта" in shipped

    result = await shipments.record_shipment_event(db, ctx, WAYBILL, arrived())
    assert result.applied
    await run_due_timers(db, ctx)
    [*_, text] = await texts_to(db, OLENA.id)
    assert "Відділення №12, вул. Хрещатик, 1" in text
    assert "900,00" in text  # cash on delivery
    assert "26 листопада" in text  # last free day: the day before paid storage
    assert WAYBILL in text
    async with db.uow() as uow:
        order = await uow.orders.by_external_id("A-1001")
        assert order.status == "arrived"
        timers = await uow.timers.of_order(order.id)
        kinds = sorted(t.kind for t in timers if t.done_at is None and t.kind.startswith("pickup"))
        assert kinds == ["pickup:0", "pickup:1"]


async def test_repeated_and_late_events_change_nothing(db, ctx):
    await shipped_order(db, ctx)
    await shipments.record_shipment_event(db, ctx, WAYBILL, arrived())
    await run_due_timers(db, ctx)
    before = await texts_to(db, OLENA.id)
    again = await shipments.record_shipment_event(db, ctx, WAYBILL, arrived())
    late = await shipments.record_shipment_event(
        db, ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.in_transit)
    )
    await run_due_timers(db, ctx)
    assert not again.applied and not late.applied
    assert await texts_to(db, OLENA.id) == before
    async with db.uow() as uow:
        assert (await uow.orders.by_external_id("A-1001")).status == "arrived"
        assert (await uow.shipments.by_tracking_number(WAYBILL)).status == "arrived"


async def test_reminders_next_day_and_before_paid_storage_stop_after_pickup(db, ctx, clock):
    await shipped_order(db, ctx)
    await shipments.record_shipment_event(db, ctx, WAYBILL, arrived())
    await run_due_timers(db, ctx)
    clock.advance(datetime(2026, 11, 21, 9, 0, tzinfo=UTC) - clock.now())  # 11:00 in Kyiv
    await run_due_timers(db, ctx)
    [*_, reminder] = await texts_to(db, OLENA.id)
    assert "⏰" in reminder and WAYBILL in reminder

    await shipments.record_shipment_event(
        db, ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.received)
    )
    await run_due_timers(db, ctx)
    clock.advance(timedelta(days=7))
    await run_due_timers(db, ctx)
    texts = await texts_to(db, OLENA.id)
    assert sum("⏰" in text for text in texts) == 1
    assert "🎉" in texts[-1]
    async with db.uow() as uow:
        rating = [
            row for row in await uow.outbox.pending(1000) if "🎉" in row.payload.get("text", "")
        ]
        stars = [
            b["callback_data"]
            for row in rating[0].payload["reply_markup"]["inline_keyboard"]
            for b in row
        ]
        order_id = rating[0].order_id
        assert stars == [*(f"r:{order_id}:{n}" for n in range(1, 6)), f"qs:{order_id}"]
        assert (await uow.orders.by_external_id("A-1001")).status == "received"


async def test_night_arrival_waits_for_the_morning(db, ctx, clock):
    await shipped_order(db, ctx)
    clock.advance(datetime(2026, 11, 20, 21, 30, tzinfo=UTC) - clock.now())  # 23:30 in Kyiv
    await shipments.record_shipment_event(db, ctx, WAYBILL, arrived())
    await run_due_timers(db, ctx)
    assert not any("📦" in text for text in await texts_to(db, OLENA.id))
    clock.advance(datetime(2026, 11, 21, 7, 0, tzinfo=UTC) - clock.now())  # 09:00 in Kyiv
    await run_due_timers(db, ctx)
    assert sum("📦" in text for text in await texts_to(db, OLENA.id)) == 1


async def test_silent_mode_sends_at_night_without_a_sound(db, ctx, clock):
    ctx = replace(ctx, quiet_mode=QuietMode.silent)
    await shipped_order(db, ctx)
    clock.advance(datetime(2026, 11, 20, 21, 30, tzinfo=UTC) - clock.now())
    await shipments.record_shipment_event(db, ctx, WAYBILL, arrived())
    await run_due_timers(db, ctx)
    async with db.uow() as uow:
        [row] = [r for r in await uow.outbox.pending(1000) if "📦" in r.payload.get("text", "")]
        assert row.payload["disable_notification"] is True


async def test_unreachable_customer_parcel_goes_to_managers_once(db, ctx):
    number = "20450000000007"
    await shipped_order(db, ctx, telegram_id=None, external_id="B-7", waybill=number)
    await shipments.record_shipment_event(db, ctx, number, arrived(cod_amount=Decimal("900.00")))
    await run_due_timers(db, ctx)
    await shipments.record_shipment_event(db, ctx, number, arrived())
    await run_due_timers(db, ctx)
    alerts = [text for text in await texts_to(db, ctx.manager_chat_id) if "📦" in text]
    assert len(alerts) == 1 and "+380501234567" in alerts[0] and number in alerts[0]


async def test_refused_then_returning_asks_why_once(db, ctx):
    await shipped_order(db, ctx)
    await shipments.record_shipment_event(db, ctx, WAYBILL, arrived())
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.refused)
    )
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.returning)
    )
    await run_due_timers(db, ctx)
    texts = await texts_to(db, OLENA.id)
    assert sum("чому" in text.lower() for text in texts) == 1
    async with db.uow() as uow:
        assert (await uow.orders.by_external_id("A-1001")).status == "returning"


async def test_waybills_are_checked_and_unique(db, ctx):
    order = (await intake_order(db, ctx, new_order(telegram_id=OLENA.id))).order
    await confirm(db, ctx, order.id, OLENA, None)
    with pytest.raises(InvalidTrackingNumber):
        await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, "123")
    first = await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, WAYBILL)
    again = await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, WAYBILL)
    assert first.created and not again.created
    with pytest.raises(ShipmentConflict):
        await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, "20450000000001")


async def test_the_poller_tracks_every_parcel_until_it_is_final(db, ctx):
    """One parcel per status (and one the carrier has not answered about yet)."""
    statuses = [None, *ShipmentStatus]
    for index, status in enumerate(statuses):
        await shipped_order(db, ctx, external_id=f"T-{index}", waybill=f"2045{index:010d}")
        async with db.uow() as uow:
            shipment = await uow.shipments.by_tracking_number(f"2045{index:010d}")
            shipment.status = status.value if status is not None else None
            await uow.commit()
    await shipped_order(db, ctx, external_id="U-1", waybill="59000000000001")
    async with db.uow() as uow:
        other = await uow.shipments.by_tracking_number("59000000000001")
        other.carrier = Carrier.ukrposhta.value
        await uow.commit()

    queries = await carrier_sync.parcels_to_track(db, Carrier.nova_poshta.value)
    expected = [
        f"2045{index:010d}"
        for index, status in enumerate(statuses)
        if status not in (ShipmentStatus.received, ShipmentStatus.returned)
    ]
    assert [query.tracking_number for query in queries] == expected
    assert {query.phone for query in queries} == {"+380501234567"}


async def test_a_new_last_free_day_is_told_once_and_moves_the_reminders(db, ctx, clock):
    await shipped_order(db, ctx)
    await shipments.record_shipment_event(db, ctx, WAYBILL, arrived())
    await run_due_timers(db, ctx)

    extended = arrived(paid_storage_from=date(2026, 12, 2))
    result = await shipments.record_shipment_event(db, ctx, WAYBILL, extended)
    await shipments.record_shipment_event(db, ctx, WAYBILL, extended)  # said again: no news
    await run_due_timers(db, ctx)

    assert not result.applied
    [*_, told] = await texts_to(db, OLENA.id)
    assert "🗓" in told and "1 грудня" in told
    assert sum("🗓" in text for text in await texts_to(db, OLENA.id)) == 1
    clock.advance(datetime(2026, 11, 26, 9, 0, tzinfo=UTC) - clock.now())  # the old reminder day
    await run_due_timers(db, ctx)
    assert sum("⏰" in text for text in await texts_to(db, OLENA.id)) == 1  # the next-day one
    clock.advance(datetime(2026, 12, 1, 9, 0, tzinfo=UTC) - clock.now())  # the new last free day
    await run_due_timers(db, ctx)
    texts = await texts_to(db, OLENA.id)
    assert sum("⏰" in text for text in texts) == 2
    assert "⏰" in texts[-1] and "1 грудня" in texts[-1]


async def test_a_new_last_free_day_before_the_arrival_notice_is_in_that_notice(db, ctx, clock):
    await shipped_order(db, ctx)
    clock.advance(datetime(2026, 11, 20, 21, 30, tzinfo=UTC) - clock.now())  # 23:30 in Kyiv
    await shipments.record_shipment_event(db, ctx, WAYBILL, arrived())
    await run_due_timers(db, ctx)
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, arrived(paid_storage_from=date(2026, 12, 2))
    )
    clock.advance(datetime(2026, 11, 21, 7, 0, tzinfo=UTC) - clock.now())  # 09:00 in Kyiv
    await run_due_timers(db, ctx)
    texts = await texts_to(db, OLENA.id)
    assert not any("🗓" in text for text in texts)
    [notice] = [text for text in texts if "📦" in text]
    assert "1 грудня" in notice and "26 листопада" not in notice
