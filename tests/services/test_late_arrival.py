"""A parcel's arrival learnt late: one message, true today; no overdue reminders fired at once;
no reminder before the notice it reminds of."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.shipments import ShipmentStatus
from bot.services import shipments
from bot.services.shipments import ShipmentUpdate
from bot.services.timers import run_due_timers
from tests.factories import OLENA
from tests.services.test_tracking import WAYBILL, shipped_order, texts_to


def move_to(clock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


def arrived(at: datetime, paid_storage_from: date) -> ShipmentUpdate:
    return ShipmentUpdate(
        status=ShipmentStatus.arrived,
        occurred_at=at,
        point="Відділення №12, вул. Хрещатик, 1",
        paid_storage_from=paid_storage_from,
    )


async def parcel_texts(db) -> list[str]:
    return [text for text in await texts_to(db, OLENA.id) if "📦" in text or "⏰" in text]


async def test_arrived_two_weeks_ago_free_storage_over_one_true_message(db, ctx, clock):
    await shipped_order(db, ctx)
    move_to(clock, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))  # 10:00 in Kyiv, 7 December
    # Arrived 23 November, free until 30 November: both reminders' moments are long gone.
    late = arrived(datetime(2026, 11, 23, 10, 0, tzinfo=UTC), date(2026, 12, 1))

    await shipments.record_shipment_event(db, ctx, WAYBILL, late)
    await run_due_timers(db, ctx)

    [notice] = await parcel_texts(db)
    assert "📦" in notice and "з 23 листопада" in notice
    assert "Безкоштовне зберігання закінчилося 30 листопада" in notice
    assert "включно" not in notice  # nothing says it is still free
    move_to(clock, datetime(2026, 12, 14, 8, 0, tzinfo=UTC))
    await run_due_timers(db, ctx)
    assert len(await parcel_texts(db)) == 1


async def test_arrived_days_ago_says_how_many_free_days_are_left(db, ctx, clock):
    await shipped_order(db, ctx)
    move_to(clock, datetime(2026, 11, 25, 8, 0, tzinfo=UTC))  # 10:00 in Kyiv, 25 November
    late = arrived(datetime(2026, 11, 21, 10, 0, tzinfo=UTC), date(2026, 11, 28))

    await shipments.record_shipment_event(db, ctx, WAYBILL, late)
    await run_due_timers(db, ctx)

    [notice] = await parcel_texts(db)
    assert "з 21 листопада" in notice
    assert "до 27 листопада включно: ще 3 дні, враховуючи сьогодні" in notice
    # The next-day reminder (22 November) is gone; the one on the last free day still comes.
    move_to(clock, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    await run_due_timers(db, ctx)
    notice, reminder = await parcel_texts(db)
    assert "⏰" in reminder and "Сьогодні, 27 листопада, останній день" in reminder


async def test_after_downtime_only_the_latest_overdue_reminder_goes(db, ctx, clock):
    await shipped_order(db, ctx)
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, arrived(clock.now(), date(2026, 11, 27))
    )
    await run_due_timers(db, ctx)
    # The bot was down from before the first reminder (21 Nov) until after the second (26 Nov).
    move_to(clock, datetime(2026, 11, 26, 10, 0, tzinfo=UTC))
    await run_due_timers(db, ctx)

    notice, reminder = await parcel_texts(db)
    assert "📦" in notice and "⏰" in reminder
    assert "Сьогодні, 26 листопада, останній день" in reminder


async def test_no_reminder_before_or_right_after_the_arrival_notice(db, ctx, clock):
    await shipped_order(db, ctx)
    move_to(clock, datetime(2026, 11, 20, 21, 30, tzinfo=UTC))  # 23:30 in Kyiv: quiet hours
    # Arrived yesterday, learnt at night; the last free day is tomorrow (reminder at 11:00).
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, arrived(datetime(2026, 11, 19, 12, 0, tzinfo=UTC), date(2026, 11, 22))
    )
    await run_due_timers(db, ctx)
    assert await parcel_texts(db) == []

    move_to(clock, datetime(2026, 11, 21, 7, 0, tzinfo=UTC))  # 09:00: the notice goes
    await run_due_timers(db, ctx)
    move_to(clock, datetime(2026, 11, 21, 9, 0, tzinfo=UTC))  # 11:00: the reminder's moment
    await run_due_timers(db, ctx)

    [notice] = await parcel_texts(db)
    assert "📦" in notice and "Сьогодні, 21 листопада, останній день" in notice


async def test_a_reminder_due_while_the_notice_waits_for_the_morning_is_dropped(db, ctx, clock):
    await shipped_order(db, ctx)
    move_to(clock, datetime(2026, 11, 20, 21, 30, tzinfo=UTC))  # 23:30 in Kyiv
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, arrived(datetime(2026, 11, 20, 21, 0, tzinfo=UTC), date(2026, 11, 30))
    )
    await run_due_timers(db, ctx)
    # A reminder rule at 08:00 (before quiet hours end) must not overtake the notice.
    async with db.uow() as uow:
        order = await uow.orders.by_external_id("A-1001")
        await uow.timers.schedule(
            kind="pickup:9",
            order_id=order.id,
            due_at=datetime(2026, 11, 21, 6, 0, tzinfo=UTC),
            now=clock.now(),
        )
        await uow.commit()
    move_to(clock, datetime(2026, 11, 21, 6, 0, tzinfo=UTC))
    await run_due_timers(db, ctx)
    move_to(clock, datetime(2026, 11, 21, 7, 0, tzinfo=UTC))
    await run_due_timers(db, ctx)
    move_to(clock, datetime(2026, 11, 21, 7, 0, tzinfo=UTC) + timedelta(minutes=1))
    await run_due_timers(db, ctx)

    [notice] = await parcel_texts(db)
    assert "📦" in notice
