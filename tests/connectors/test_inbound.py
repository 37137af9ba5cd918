"""A platform's orders as they arrive: taken in once, moved by the shop, never by an old update."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.connectors.base import RemoteOrder, SkipReason, Tracking
from bot.domain.orders import Carrier, OrderStatus, Payment
from bot.services.connections.inbound import Applied, receive
from bot.services.intake import intake_order
from tests.connectors.recording import stored_connection
from tests.factories import OLENA, new_order

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def remote(
    *,
    updated: datetime = T0,
    status: OrderStatus | None = None,
    tracking: Tracking | None = None,
    remote_id: str = "727",
) -> RemoteOrder:
    return RemoteOrder(
        remote_id=remote_id,
        number=remote_id,
        updated_at=updated,
        order=new_order(remote_id, telegram_id=OLENA.id),
        status=status,
        tracking=tracking,
    )


@pytest.fixture
async def connection_id(db) -> int:
    async with db.uow() as uow:
        connection = stored_connection(uow.clock.now())
        uow.connections.add(connection)
        await uow.session.flush()
        await uow.commit()
        return connection.id


async def order_of(db, external_id: str):
    async with db.uow() as uow:
        return await uow.orders.by_external_id(external_id)


async def test_a_new_order_is_taken_in_once_and_asks_the_customer(db, ctx, connection_id):
    first = await receive(db, ctx, connection_id, remote())
    again = await receive(db, ctx, connection_id, remote())
    assert (first.applied, again.applied) == (Applied.created, Applied.unchanged)
    order = await order_of(db, "727")
    assert order.id == first.order_id and order.connection_id == connection_id
    async with db.uow() as uow:
        cards = [r for r in await uow.outbox.pending(100) if r.purpose == "order_card"]
        link = await uow.connections.link(connection_id, "727")
        connection = await uow.connections.get(connection_id)
    assert len(cards) == 1 and cards[0].chat_id == OLENA.id
    assert link.order_id == order.id and link.remote_updated_at == T0
    assert connection.last_received_at is not None


async def test_an_update_of_the_same_second_is_still_applied(db, ctx, connection_id):
    # Placed and cancelled within one second: platforms stamp to the second.
    assert (await receive(db, ctx, connection_id, remote())).applied is Applied.created
    same_moment = remote(status=OrderStatus.cancelled)
    assert (await receive(db, ctx, connection_id, same_moment)).applied is Applied.updated
    assert (await order_of(db, "727")).status == OrderStatus.cancelled


async def test_an_older_update_never_overwrites_a_newer_one(db, ctx, connection_id):
    # orders/updated (cancelled at 10:05) came before orders/create (10:00): the order was never
    # asked about — it was cancelled before Vykup heard of it.
    later = await receive(
        db,
        ctx,
        connection_id,
        remote(updated=T0 + timedelta(minutes=5), status=OrderStatus.cancelled),
    )
    earlier = await receive(db, ctx, connection_id, remote(updated=T0))
    assert (later.applied, earlier.applied) == (Applied.skipped, Applied.stale)
    assert await order_of(db, "727") is None
    async with db.uow() as uow:
        link = await uow.connections.link(connection_id, "727")
    assert link.skipped == SkipReason.cancelled


async def test_the_shop_cancels_and_a_forbidden_move_is_ignored(db, ctx, connection_id):
    await receive(db, ctx, connection_id, remote())
    cancelled = await receive(
        db,
        ctx,
        connection_id,
        remote(updated=T0 + timedelta(minutes=1), status=OrderStatus.cancelled),
    )
    assert cancelled.applied is Applied.updated
    assert (await order_of(db, "727")).status == OrderStatus.cancelled
    # Cancelled is final: the CRM moving it "on hold" afterwards is logged, not applied, not raised.
    held = await receive(
        db,
        ctx,
        connection_id,
        remote(updated=T0 + timedelta(minutes=2), status=OrderStatus.on_hold),
    )
    assert held.applied is Applied.unchanged
    assert (await order_of(db, "727")).status == OrderStatus.cancelled


async def test_a_waybill_added_on_the_platform_ships_the_order(db, ctx, connection_id):
    await receive(db, ctx, connection_id, remote())
    tracking = Tracking(Carrier.nova_poshta, "20450000000000")
    shipped = await receive(
        db, ctx, connection_id, remote(updated=T0 + timedelta(minutes=1), tracking=tracking)
    )
    repeat = await receive(
        db, ctx, connection_id, remote(updated=T0 + timedelta(minutes=2), tracking=tracking)
    )
    assert (shipped.applied, repeat.applied) == (Applied.updated, Applied.unchanged)
    order = await order_of(db, "727")
    async with db.uow() as uow:
        shipment = await uow.shipments.of_order(order.id)
        history = [e.to_status for e in await uow.orders.events_of(order.id) if e.to_status]
    assert order.status == OrderStatus.shipped and shipment.tracking_number == "20450000000000"
    # Shipped without the customer's tap (confirmed by phone): the steps it skipped are the shop's.
    assert history == ["new", "confirmed", "shipped"]
    # A number that is not a Nova Poshta waybill is ignored, not an error.
    junk = Tracking(Carrier.nova_poshta, "not-a-waybill")
    other = remote(updated=T0 + timedelta(minutes=3), tracking=junk, remote_id="728")
    assert (await receive(db, ctx, connection_id, other)).applied is Applied.created


@pytest.mark.parametrize("reason", [SkipReason.no_phone, SkipReason.not_cash_on_delivery])
async def test_orders_vykup_does_not_ask_about_are_recorded_only(db, ctx, connection_id, reason):
    skipped = RemoteOrder(remote_id="900", number="900", updated_at=T0, order=None, skipped=reason)
    assert (await receive(db, ctx, connection_id, skipped)).applied is Applied.skipped
    assert (await receive(db, ctx, connection_id, skipped)).applied is Applied.unchanged
    async with db.uow() as uow:
        assert await uow.connections.counts(connection_id) == {reason.value: 1}
        assert await uow.outbox.pending(10) == []


async def test_a_number_the_api_already_used_gets_the_connection_prefix(db, ctx, connection_id):
    await intake_order(db, ctx, new_order("727"))  # the shop's own API order "727"
    taken = await receive(db, ctx, connection_id, remote())
    assert taken.applied is Applied.created
    prefixed = await order_of(db, "woocommerce-727")
    assert prefixed.id == taken.order_id and prefixed.connection_id == connection_id


async def test_a_prepaid_order_is_taken_in_like_the_api_would(db, ctx, connection_id):
    data = replace(new_order("730", telegram_id=OLENA.id), payment=Payment.prepaid)
    prepaid = RemoteOrder(remote_id="730", number="730", updated_at=None, order=data)
    assert (await receive(db, ctx, connection_id, prepaid)).applied is Applied.created
    # Without the platform's modification time every delivery is applied (repeats change nothing).
    assert (await receive(db, ctx, connection_id, prepaid)).applied is Applied.unchanged


async def test_an_order_left_alone_is_taken_in_once_the_shop_fixes_it(db, ctx, connection_id):
    no_phone = RemoteOrder(
        remote_id="727", number="727", updated_at=T0, order=None, skipped=SkipReason.no_phone
    )
    assert (await receive(db, ctx, connection_id, no_phone)).applied is Applied.skipped
    # The manager typed the phone into the order in the shop's admin.
    fixed = await receive(db, ctx, connection_id, remote(updated=T0 + timedelta(minutes=3)))
    assert fixed.applied is Applied.created
    async with db.uow() as uow:
        link = await uow.connections.link(connection_id, "727")
    assert link.skipped is None and link.order_id == fixed.order_id
