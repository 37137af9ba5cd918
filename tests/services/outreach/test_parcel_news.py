"""Parcel news by Viber/SMS for a customer outside Telegram (OUTREACH_NOTICES), and the erasure
of what outreach left behind."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.orders import Carrier, OrderStatus
from bot.domain.outreach import OutreachPurpose
from bot.domain.shipments import ShipmentStatus
from bot.services import forget, shipments, web_links
from bot.services.shipments import ShipmentUpdate
from bot.services.shop_status import set_status_by_shop
from tests.services.outreach.conftest import Outreach

PHONE = "380501234567"
WAYBILL = "20450000000000"
ARRIVED = ShipmentUpdate(
    status=ShipmentStatus.arrived,
    point="Відділення №12, вул. Хрещатик, 1",
    paid_storage_from=date(2026, 11, 27),
)


async def shipped(outreach: Outreach) -> None:
    """An order the shop confirmed by phone (the customer never opened the bot), shipped."""
    await outreach.order()
    await set_status_by_shop(outreach.db, outreach.ctx, "A-1001", OrderStatus.confirmed, None)
    await shipments.attach_shipment(
        outreach.db, outreach.ctx, "A-1001", Carrier.nova_poshta, WAYBILL
    )
    await outreach.run_timers()


async def test_the_arrival_goes_by_viber_with_the_point_the_amount_and_the_last_free_day(
    outreach: Outreach,
):
    await shipped(outreach)
    await shipments.record_shipment_event(outreach.db, outreach.ctx, WAYBILL, ARRIVED)
    await outreach.run_timers()
    await outreach.send()

    (sent,) = outreach.fake.sent_to(PHONE)
    assert sent.text == (
        "Квітка: замовлення A-1001 чекає: Відділення №12, вул. Хрещатик, 1. "
        "До сплати 900,00\xa0₴. Безкоштовно до 26 листопада."
    )
    (message,) = await outreach.messages()
    assert message.purpose == OutreachPurpose.arrived
    assert await outreach.managers_texts() == []  # no call: the customer was told


async def test_the_last_free_day_goes_too_and_each_notice_only_once(outreach: Outreach):
    await shipped(outreach)
    await shipments.record_shipment_event(outreach.db, outreach.ctx, WAYBILL, ARRIVED)
    await outreach.run_timers()
    await outreach.send()
    # 26 November 11:00 in Kyiv: the "storage-1d" reminder, on the last free day.
    outreach.clock.advance(datetime(2026, 11, 26, 9, 0, tzinfo=UTC) - outreach.clock.now())
    await outreach.run_timers()
    await outreach.send()

    _, last_day = outreach.fake.sent_to(PHONE)
    assert last_day.text.startswith(
        "Квітка: сьогодні останній безкоштовний день, щоб забрати замовлення A-1001"
    )
    outreach.clock.advance(timedelta(days=1))
    await outreach.run_timers()
    await outreach.send()
    assert len(outreach.fake.sent_to(PHONE)) == 2


async def test_without_notices_the_managers_call_about_the_waiting_parcel(outreach: Outreach):
    outreach.with_rules(notices=frozenset())
    await shipped(outreach)
    await shipments.record_shipment_event(outreach.db, outreach.ctx, WAYBILL, ARRIVED)
    await outreach.run_timers()
    await outreach.send()
    assert outreach.fake.messages == {}
    (alert,) = [text for text in await outreach.managers_texts() if WAYBILL in text]
    assert "A-1001" in alert


async def test_a_parcel_picked_up_before_the_message_left_is_not_texted(outreach: Outreach):
    await shipped(outreach)
    await shipments.record_shipment_event(outreach.db, outreach.ctx, WAYBILL, ARRIVED)
    await outreach.run_timers()
    await shipments.record_shipment_event(
        outreach.db, outreach.ctx, WAYBILL, ShipmentUpdate(status=ShipmentStatus.received)
    )
    await outreach.send()
    assert outreach.fake.messages == {}


async def test_forgetting_the_customer_closes_the_short_links(outreach: Outreach):
    await outreach.order()
    await outreach.pass_time(timedelta(minutes=2))
    await outreach.send()
    (message,) = await outreach.messages()
    async with outreach.db.read() as uow:
        order = await uow.orders.get(message.order_id)
        assert order is not None and order.short_code is not None
        code = order.short_code

    await forget.forget_phone(outreach.db, outreach.ctx, "0501234567")

    with pytest.raises(web_links.LinkInvalid):
        await web_links.telegram_link_of_code(outreach.db, outreach.ctx, code)
    (kept,) = await outreach.messages()
    assert kept.cost == message.cost and kept.detail is None  # the figures stay


async def test_forgetting_the_customer_drops_a_message_that_had_not_left(outreach: Outreach):
    await outreach.order()
    await outreach.pass_time(timedelta(minutes=2))  # queued, not sent yet
    await forget.forget_phone(outreach.db, outreach.ctx, "0501234567")
    assert await outreach.send() == []  # its outbox row went with her data
    (message,) = await outreach.messages()
    assert (message.state, message.cost) == ("skipped", 0)
    assert outreach.fake.messages == {}
