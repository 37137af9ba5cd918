"""The shop moves an order (cancelled by phone, shipped …) and reads it back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import NotFound
from bot.domain.orders import EventSource, OrderStatus
from bot.services import confirmation_timers
from bot.services.context import ServiceContext
from bot.services.history import change_status, reported_moment
from bot.services.notifier import Notifier
from storage.models import Order, OrderEvent, Shipment
from storage.uow import Database


async def set_status_by_shop(
    db: Database,
    ctx: ServiceContext,
    external_id: str,
    status: OrderStatus,
    comment: str | None,
    *,
    occurred_at: datetime | None = None,
) -> Order:
    """``occurred_at``: when it happened in the shop's records (a late sync), else now.

    Asking for the status the order already has changes nothing and is no error: a shop that
    retries a call whose answer it missed must not be told it failed."""
    async with db.uow() as uow:
        order = await uow.orders.by_external_id(external_id, for_update=True)
        if order is None:
            raise NotFound()
        if order.status == status:
            return order
        at = reported_moment(uow, order, occurred_at)
        previous = change_status(
            uow, order, status, source=EventSource.shop, comment=comment, at=at
        )
        if previous is OrderStatus.on_hold and status is OrderStatus.new:
            # Released from hold (prepayment came, a manager called): the customer confirms now.
            await confirmation_timers.send_for_confirmation(uow, ctx, order)
        elif order.card_queued_at is not None:
            await Notifier(uow, ctx).card_update(order)
        await uow.commit()
        return order


async def order_with_history(db: Database, external_id: str) -> tuple[Order, list[OrderEvent]]:
    # One transaction, not a read: the status and the history must agree.
    async with db.uow() as uow:
        order = await uow.orders.by_external_id(external_id)
        if order is None:
            raise NotFound()
        return order, list(await uow.orders.events_of(order.id))


@dataclass(frozen=True, slots=True)
class ChangedOrders:
    orders: list[tuple[Order, Shipment | None]]  # by (updated_at, id), each with its parcel
    has_more: bool


async def orders_changed(
    db: Database,
    *,
    since: datetime | None,
    after: tuple[datetime, int] | None,
    limit: int,
) -> ChangedOrders:
    """Up to ``limit`` orders changed at or after ``since``, past the key ``after``.

    An order changed while the shop pages moves to the end (a later ``updated_at``) and is
    listed again there, never skipped; only a change committed with an ``updated_at`` older than
    the page the shop already read (a transaction still open when it read) can pass unseen.
    """
    async with db.read() as uow:
        rows = list(await uow.orders.changed(since=since, after=after, limit=limit + 1))
        page = rows[:limit]
        parcels = await uow.shipments.of_orders([order.id for order in page])
    return ChangedOrders(
        orders=[(order, parcels.get(order.id)) for order in page], has_more=len(rows) > limit
    )
