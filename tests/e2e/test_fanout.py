"""A thousand parcels arrive at once: every customer hears once, within Telegram's limits.

The bot keeps Telegram's pace in the e2e fixture's pacing time: 1,000 notices take 33 s of it
and no real time waiting.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from bot.domain.orders import EventSource
from bot.domain.shipments import ShipmentStatus
from bot.services.shipments import ShipmentUpdate, record_shipment_event
from storage.models import Customer, Order, OrderItem, Shipment
from tests.e2e.conftest import World

PARCELS = 1000
FIRST_USER = 100_000


async def seed(world: World) -> list[str]:
    """Customers who opened the bot long ago, each with a shipped parcel."""
    now = world.clock.now()
    waybills = []
    async with world.db.uow() as uow:
        for n in range(PARCELS):
            user = world.telegram.add_user(FIRST_USER + n, f"Покупець {n}", language_code="uk")
            user.record.has_started = True
            customer = Customer(
                phone=f"+38050{n:07d}",
                name=f"Покупець {n}",
                telegram_id=user.id,
                created_at=now,
                updated_at=now,
            )
            order = Order(
                external_id=f"F-{n}",
                customer=customer,
                recipient_name=customer.name,
                status="shipped",
                total=Decimal("450.00"),
                currency="UAH",
                payment="cod",
                carrier="nova_poshta",
                city="Київ",
                point="Відділення №1",
                link_token=f"fanout-token-{n}",
                created_at=now,
                updated_at=now,
                items=[OrderItem(position=0, name="Товар", quantity=1, price=Decimal("450.00"))],
            )
            waybill = f"2045{n:010d}"
            uow.session.add(
                Shipment(
                    order=order,
                    carrier="nova_poshta",
                    tracking_number=waybill,
                    status="in_transit",
                    created_at=now,
                    updated_at=now,
                )
            )
            waybills.append(waybill)
        await uow.commit()
    return waybills


async def test_a_thousand_arrivals_reach_a_thousand_customers_once(world: World):
    waybills = await seed(world)
    arrived = ShipmentUpdate(
        status=ShipmentStatus.arrived, point="Відділення №1", source=EventSource.system
    )
    for start in range(0, PARCELS, 50):
        batch = waybills[start : start + 50]
        results = await asyncio.gather(
            *(
                record_shipment_event(world.app.db, world.app.ctx, number, arrived)
                for number in batch
            )
        )
        assert all(result.applied for result in results)

    customers = range(FIRST_USER, FIRST_USER + PARCELS)
    # A bound, not a speed target (bench/fanout.py measures speed, in real time).
    await world.telegram.wait_for_messages_in(customers, timeout=240)
    await world.app.worker.drain(timeout=10)  # the last "sent" marks commit right after Telegram
    print(f"{PARCELS} parcels announced in {world.pacing.now():.1f} s of Telegram's pace")
    assert [world.telegram.sent_count(chat) for chat in customers] == [1] * PARCELS
    assert world.telegram.count_429 == 0  # at Telegram's limit, never over it
    assert world.pacing.now() >= (PARCELS - 1) / 30  # the limit: 30 messages a second
    async with world.db.uow() as uow:
        assert await uow.outbox.depth() == (0, None)
