"""Stalled parcels: found by the check, announced once, handled, listed, cleared when they move."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.botapi.html import parse_html
from bot.domain.errors import NotAllowed
from bot.domain.orders import Carrier, OrderStatus
from bot.domain.shipments import ShipmentStatus
from bot.domain.stalls import StallLimits
from bot.services import shipments, stalls
from bot.services.confirmation import confirm
from bot.services.digest import send_digest
from bot.services.intake import intake_order
from bot.services.parcel_answers import promise_pickup
from bot.services.people import MessageRef, TelegramUser
from bot.services.reachability import mark_unreachable
from bot.services.shipments import ShipmentUpdate
from bot.services.shop_status import set_status_by_shop
from bot.services.timers import run_due_timers
from tests.factories import MANAGER, OLENA, new_order

KYIV = ZoneInfo("Europe/Kyiv")
MANAGERS = -100500
OTHER_MANAGER = TelegramUser(id=901, full_name="Петро Менеджер")
WAYBILL = "20450000000000"


def kyiv(day: int, hour: int = 12, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=KYIV)


def move_to(clock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


async def confirmed(db, ctx, external_id: str = "A-1001", *, linked: bool = True):
    telegram_id = OLENA.id if linked else None
    order = (await intake_order(db, ctx, new_order(external_id, telegram_id=telegram_id))).order
    if linked:
        await confirm(db, ctx, order.id, OLENA, None)
    else:
        await set_status_by_shop(db, ctx, external_id, OrderStatus.confirmed, None)
    return order


async def rows(db):
    async with db.uow() as uow:
        return list(await uow.outbox.pending(10_000))


async def announcements(db) -> list:
    return [
        row
        for row in await rows(db)
        if row.chat_id == MANAGERS
        and row.method == "sendMessage"
        and "⏳" in row.payload.get("text", "")
    ]


async def stalled_events(db) -> list[tuple[str, str]]:
    return [
        (row.payload["body"]["external_id"], row.payload["body"]["reason"])
        for row in await rows(db)
        if row.channel == "webhook" and row.payload["body"]["event"] == "order.stalled"
    ]


async def to_customer(db) -> list[str]:
    return [row.payload.get("text", "") for row in await rows(db) if row.chat_id == OLENA.id]


async def test_a_confirmed_order_without_a_waybill_is_announced_once_and_clears_when_shipped(
    db, ctx, clock
):
    move_to(clock, kyiv(1))
    await confirmed(db, ctx)
    move_to(clock, kyiv(3, 11))  # 47 hours: not yet
    assert await stalls.check(db, ctx) == stalls.CheckResult(found=0, cleared=0)

    move_to(clock, kyiv(3, 12))
    assert await stalls.check(db, ctx) == stalls.CheckResult(found=1, cleared=0)
    [message] = await announcements(db)
    text = message.payload["text"]
    parse_html(text)
    assert "A-1001" in text and "Олена Коваль" in text and "+380501234567" in text
    assert "1 груд" in text  # since when: confirmed on the 1st
    [[button]] = message.payload["reply_markup"]["inline_keyboard"]
    assert button["callback_data"].startswith("sl:t:")
    assert await stalled_events(db) == [("A-1001", "not_shipped")]

    move_to(clock, kyiv(3, 14))
    assert await stalls.check(db, ctx) == stalls.CheckResult(found=0, cleared=0)
    assert len(await announcements(db)) == 1 and len(await stalled_events(db)) == 1
    assert (await stalls.page(db, ctx, MANAGER, 0)).total == 1

    await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, WAYBILL)
    assert await stalls.check(db, ctx) == stalls.CheckResult(found=0, cleared=1)
    assert (await stalls.page(db, ctx, MANAGER, 0)).total == 0


async def test_a_waybill_never_scanned_then_a_parcel_slow_in_transit_tells_the_customer_once(
    db, ctx, clock
):
    move_to(clock, kyiv(1))
    await confirmed(db, ctx)
    await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, WAYBILL)
    await run_due_timers(db, ctx)
    move_to(clock, kyiv(3))
    assert (await stalls.check(db, ctx)).found == 1
    assert await stalled_events(db) == [("A-1001", "not_scanned")]

    await shipments.record_shipment_event(
        db, ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.in_transit, occurred_at=kyiv(3, 9))
    )
    move_to(clock, kyiv(8, 8))  # 4 days 23 hours after the carrier's scan
    assert await stalls.check(db, ctx) == stalls.CheckResult(found=0, cleared=1)
    await run_due_timers(db, ctx)
    before = await to_customer(db)

    move_to(clock, kyiv(8, 10))
    assert (await stalls.check(db, ctx)).found == 1
    assert await stalled_events(db) == [("A-1001", "not_scanned"), ("A-1001", "in_transit")]
    await run_due_timers(db, ctx)
    [slow] = (await to_customer(db))[len(before) :]
    assert "довше, ніж зазвичай" in slow and "A-1001" in slow
    parse_html(slow)

    move_to(clock, kyiv(9, 10))
    await stalls.check(db, ctx)
    await run_due_timers(db, ctx)
    assert len(await to_customer(db)) == len(before) + 1  # once


async def test_the_slow_parcel_message_waits_out_quiet_hours_and_is_dropped_if_it_arrived(
    db, ctx, clock
):
    move_to(clock, kyiv(1))
    await confirmed(db, ctx)
    await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, WAYBILL)
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.in_transit, occurred_at=kyiv(1))
    )
    await run_due_timers(db, ctx)
    before = len(await to_customer(db))
    move_to(clock, kyiv(6, 23))
    assert (await stalls.check(db, ctx)).found == 1
    await run_due_timers(db, ctx)
    assert len(await to_customer(db)) == before  # deferred to the morning

    move_to(clock, kyiv(7, 9))
    await run_due_timers(db, ctx)
    assert len(await to_customer(db)) == before + 1


async def test_the_slow_parcel_message_is_dropped_when_the_parcel_arrived_meanwhile(db, ctx, clock):
    move_to(clock, kyiv(1))
    await confirmed(db, ctx)
    await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, WAYBILL)
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.in_transit, occurred_at=kyiv(1))
    )
    await run_due_timers(db, ctx)
    move_to(clock, kyiv(6, 23))
    assert (await stalls.check(db, ctx)).found == 1
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.arrived, point="№1")
    )
    move_to(clock, kyiv(7, 9))
    await run_due_timers(db, ctx)
    texts = await to_customer(db)
    assert not any("довше" in text or "longer" in text for text in texts)


async def test_a_customer_outside_the_chat_gets_no_slow_parcel_message(db, ctx, clock):
    move_to(clock, kyiv(1))
    await confirmed(db, ctx, linked=False)
    await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, WAYBILL)
    await shipments.record_shipment_event(
        db, ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.in_transit, occurred_at=kyiv(1))
    )
    move_to(clock, kyiv(6, 13))
    assert (await stalls.check(db, ctx)).found == 1
    await run_due_timers(db, ctx)
    assert [row for row in await rows(db) if row.chat_id not in (MANAGERS, None)] == []


async def test_a_waiting_parcel_of_a_silent_unreachable_customer_stalls_near_paid_storage(
    db, ctx, clock
):
    move_to(clock, kyiv(1))
    await confirmed(db, ctx, "A-1", linked=False)
    await shipments.attach_shipment(db, ctx, "A-1", Carrier.nova_poshta, "20450000000001")
    await confirmed(db, ctx, "A-2")  # Олена: in the chat, promises, then blocks the bot
    await shipments.attach_shipment(db, ctx, "A-2", Carrier.nova_poshta, "20450000000002")
    arrived = ShipmentUpdate(status=ShipmentStatus.arrived, paid_storage_from=date(2026, 12, 6))
    for waybill in ("20450000000001", "20450000000002"):
        await shipments.record_shipment_event(db, ctx, waybill, arrived)
    async with db.read() as uow:
        second = await uow.orders.by_external_id("A-2")
    await promise_pickup(db, ctx, second.id, OLENA)
    await mark_unreachable(db, ctx, OLENA.id)

    move_to(clock, kyiv(4))  # paid storage from the 6th: the 4th and the 5th free, not yet
    found_before = (await stalls.check(db, ctx)).found
    move_to(clock, kyiv(5))
    found = (await stalls.check(db, ctx)).found
    assert found_before + found == 1
    assert ("A-1", "pickup_at_risk") in await stalled_events(db)
    assert all(order != "A-2" for order, _ in await stalled_events(db))

    await shipments.record_shipment_event(
        db, ctx, "20450000000001", ShipmentUpdate(status=ShipmentStatus.received)
    )
    assert (await stalls.check(db, ctx)).cleared == 1


async def test_ill_handle_it_names_the_manager_and_refuses_others(db, ctx, clock):
    move_to(clock, kyiv(1))
    await confirmed(db, ctx)
    move_to(clock, kyiv(4))
    await stalls.check(db, ctx)
    async with db.read() as uow:
        [stall] = await uow.stalls.open()
    alert = MessageRef(chat_id=MANAGERS, message_id=77)
    ctx = replace(ctx, admin_ids=frozenset({MANAGER.id, OTHER_MANAGER.id}))

    with pytest.raises(NotAllowed):
        await stalls.take(db, ctx, stall.id, OLENA, alert)
    await stalls.take(db, ctx, stall.id, MANAGER, alert)
    [edit] = [r for r in await rows(db) if r.method == "editMessageText" and r.chat_id == MANAGERS]
    assert edit.payload["message_id"] == 77 and "Марія Менеджер" in edit.payload["text"]
    assert "reply_markup" not in edit.payload
    with pytest.raises(stalls.AlreadyHandled):
        await stalls.take(db, ctx, stall.id, OTHER_MANAGER, alert)
    page = await stalls.page(db, ctx, MANAGER, 0)
    assert page.lines[0].taken_by_name == "Марія Менеджер"

    # It moves; the next press says so.
    await shipments.attach_shipment(db, ctx, "A-1001", Carrier.nova_poshta, WAYBILL)
    await stalls.check(db, ctx)
    await stalls.take(db, ctx, stall.id, MANAGER, alert)
    *_, moved = [
        r for r in await rows(db) if r.method == "editMessageText" and r.chat_id == MANAGERS
    ]
    assert "✅" in moved.payload["text"]


async def test_many_at_once_ten_messages_and_one_line_and_pages_of_ten(db, ctx, clock):
    move_to(clock, kyiv(1))
    for n in range(12):
        order = (
            await intake_order(
                db, ctx, new_order(f"B-{n}", phone=f"+3805000001{n:02d}", name=f"Клієнт {n}")
            )
        ).order
        await set_status_by_shop(db, ctx, order.external_id, OrderStatus.confirmed, None)
    move_to(clock, kyiv(5))
    assert (await stalls.check(db, ctx)).found == 12
    texts = [row.payload["text"] for row in await announcements(db)]
    assert len(texts) == 11 and "2" in texts[-1] and "/stalled" in texts[-1]
    assert len(await stalled_events(db)) == 12

    first = await stalls.page(db, ctx, MANAGER, 0)
    last = await stalls.page(db, ctx, MANAGER, 5)  # past the end: the last page
    assert (len(first.lines), first.pages, last.page, len(last.lines)) == (10, 2, 1, 2)


async def test_rules_turned_off_find_nothing_and_clear_what_they_found(db, ctx, clock):
    move_to(clock, kyiv(1))
    await confirmed(db, ctx)
    move_to(clock, kyiv(4))
    assert (await stalls.check(db, ctx)).found == 1
    off = replace(ctx, stall_limits=StallLimits(not_shipped=None))
    assert await stalls.check(db, off) == stalls.CheckResult(found=0, cleared=1)


async def test_the_digest_lists_the_stalled_parcels(db, ctx, clock):
    move_to(clock, kyiv(1))
    await confirmed(db, ctx)
    move_to(clock, kyiv(4, 9))
    await stalls.check(db, ctx)
    move_to(clock, kyiv(4, 10))
    assert await send_digest(db, ctx, at=kyiv(4, 10).timetz().replace(tzinfo=None))
    [digest] = [
        row.payload["text"] for row in await rows(db) if "📊" in row.payload.get("text", "")
    ]
    parse_html(digest)
    assert "⏳" in digest and "A-1001" in digest and "/stalled" in digest
