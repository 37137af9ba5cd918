"""A platform's order arrives (created, changed, cancelled, shipped): one transaction per delivery.

Platforms deliver at least once and out of order (Shopify may send ``orders/updated`` before
``orders/create``): the platform's order is one Vykup order however often it comes, and an update
no newer than the one applied changes nothing. Everything a delivery causes — the order taken in,
its status moved, its waybill attached, the messages those queue — commits with the note of how
far the platform's order was applied, or not at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.exc import IntegrityError

from bot.connectors.base import RemoteOrder, SkipReason
from bot.domain.errors import DomainError
from bot.domain.new_order import EXTERNAL_ID_LENGTH, NewOrder
from bot.domain.orders import EventSource, OrderStatus, can_transition, path_to
from bot.services import confirmation_timers
from bot.services.context import ServiceContext
from bot.services.history import change_status
from bot.services.intake import create_order
from bot.services.notifier import Notifier
from bot.services.shipments import attach_in_transaction
from storage.models import ConnectorOrder, Order
from storage.repositories.outbox import PLATFORM
from storage.uow import Database, UnitOfWork

log = logging.getLogger(__name__)

RECEIVE_ATTEMPTS = 3


class Applied(StrEnum):
    """What a delivery did, for the platform's answer and the logs."""

    created = "created"  # a new Vykup order (the customer is asked)
    skipped = "skipped"  # recorded, not taken in (``skipped`` on the link says why)
    updated = "updated"  # the order moved (status, waybill)
    unchanged = "unchanged"  # nothing to do: a repeat, an echo of Vykup's own update
    stale = "stale"  # older than what was applied: ignored


@dataclass(frozen=True)
class Received:
    applied: Applied
    order_id: int | None


async def receive(
    db: Database, ctx: ServiceContext, connection_id: int, remote: RemoteOrder
) -> Received:
    """Apply one delivery of the platform's order ``remote``.

    Two deliveries of one order racing (``orders/create`` and ``orders/updated`` at once) both
    end well: the loser of the unique key on the platform's order starts over, finds the
    winner's row and applies itself on top of it (or is stale).
    """
    for _ in range(RECEIVE_ATTEMPTS):
        async with db.uow() as uow:
            try:
                result = await _apply(uow, ctx, connection_id, remote)
                await uow.connections.received(connection_id, uow.clock.now())
                await uow.commit()
            except IntegrityError:
                await uow.rollback()
                continue
            return result
    raise RuntimeError(f"platform order {remote.remote_id!r} kept conflicting with other writes")


async def _apply(
    uow: UnitOfWork, ctx: ServiceContext, connection_id: int, remote: RemoteOrder
) -> Received:
    now = uow.clock.now()
    link = await uow.connections.link(connection_id, remote.remote_id, for_update=True)
    if link is None:
        link = ConnectorOrder(
            connection_id=connection_id,
            remote_id=remote.remote_id,
            number=remote.number[:EXTERNAL_ID_LENGTH],
            created_at=now,
            updated_at=now,
        )
        uow.connections.add_link(link)
        await uow.session.flush()  # a racing delivery's row: IntegrityError, start over
    elif _stale(link, remote):
        return Received(Applied.stale, link.order_id)
    link.remote_updated_at = remote.updated_at or link.remote_updated_at
    link.updated_at = now
    if link.order_id is None:
        if link.skipped is not None and _skip_reason(remote) is not None:
            return Received(Applied.unchanged, None)
        # New, or left alone before and takeable now: the shop added the phone, switched the
        # payment to cash on delivery, restored a cancelled order.
        link.skipped = None
        return await _take_in(uow, ctx, link, remote)
    order = await uow.orders.get(link.order_id, for_update=True)
    if order is None:  # erased or deleted since: nothing to move
        return Received(Applied.unchanged, None)
    changed = await _move(uow, ctx, order, remote)
    return Received(Applied.updated if changed else Applied.unchanged, order.id)


def _stale(link: ConnectorOrder, remote: RemoteOrder) -> bool:
    """Older than what was applied. The same moment is applied again (to no effect when it is a
    repeat): platforms stamp to the second, and a shop may cancel in the second it was placed."""
    return (
        link.remote_updated_at is not None
        and remote.updated_at is not None
        and remote.updated_at < link.remote_updated_at
    )


async def _take_in(
    uow: UnitOfWork, ctx: ServiceContext, link: ConnectorOrder, remote: RemoteOrder
) -> Received:
    skip = _skip_reason(remote)
    if skip is not None or remote.order is None:
        link.skipped = (skip or SkipReason.no_phone).value
        log.info("platform order %s not taken in: %s", remote.number, link.skipped)
        return Received(Applied.skipped, None)
    data = await _with_free_external_id(uow, remote.order, link)
    order, _ = await create_order(uow, ctx, data)
    order.connection_id = link.connection_id
    link.order_id = order.id
    await Notifier(uow, ctx).platform_link(order)
    await _move(uow, ctx, order, remote)  # a waybill may come with the first delivery
    return Received(Applied.created, order.id)


def _skip_reason(remote: RemoteOrder) -> SkipReason | None:
    if remote.skipped is not None:
        return remote.skipped
    if remote.order is None:
        return SkipReason.no_phone  # a connector that gives no order and no reason: nobody to ask
    if remote.status is OrderStatus.cancelled:
        # Cancelled before Vykup heard of it (its first delivery came late): nobody to ask.
        return SkipReason.cancelled
    return None


async def _with_free_external_id(uow: UnitOfWork, data: NewOrder, link: ConnectorOrder) -> NewOrder:
    """The platform's order number, unless an order of the API or of another connection already
    has it: then the number prefixed by the connection (``woocommerce-727``)."""
    if await uow.orders.by_external_id(data.external_id) is None:
        return data
    connection = await uow.connections.get(link.connection_id)
    prefix = connection.name if connection is not None else "connection"
    unique = f"{prefix}-{data.external_id}"[:EXTERNAL_ID_LENGTH]
    return NewOrder(**{**data.__dict__, "external_id": unique})


async def _move(uow: UnitOfWork, ctx: ServiceContext, order: Order, remote: RemoteOrder) -> bool:
    """The shop's own moves: a status (cancelled in the admin …) and a waybill. A move the status
    table forbids is logged and ignored: the platform will not stop sending it, and retrying
    would not make it allowed."""
    changed = False
    target = remote.status
    current = OrderStatus(order.status)
    if target is not None and target is not current:
        if can_transition(current, target):
            previous = change_status(
                uow, order, target, source=EventSource.shop, comment=remote.status_comment
            )
            if previous is OrderStatus.on_hold and target is OrderStatus.new:
                await confirmation_timers.send_for_confirmation(uow, ctx, order)
            elif order.card_queued_at is not None:
                await Notifier(uow, ctx).card_update(order)
            changed = True
        else:
            log.warning(
                "platform order %s: %s → %s is not allowed; ignored",
                remote.number,
                current.value,
                target.value,
            )
    if remote.tracking is not None:
        try:
            await _walk_to_shipped(uow, ctx, order)
            changed |= await attach_in_transaction(
                uow, ctx, order, remote.tracking.carrier, remote.tracking.number
            )
        except DomainError as error:
            log.warning(
                "platform order %s: waybill %s not attached (%s)",
                remote.number,
                remote.tracking.number,
                type(error).__name__,
            )
    return changed


async def _walk_to_shipped(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> None:
    """A shop that adds a waybill ships the order, confirmed by the customer or not (many confirm
    by phone): the order walks the steps it skipped, as the shop's moves. A cancelled order has
    no way there: attaching then refuses, and the waybill is logged and ignored."""
    current = OrderStatus(order.status)
    steps = path_to(current, OrderStatus.shipped) or []
    for step in steps[:-1]:
        change_status(uow, order, step, source=EventSource.shop, comment="waybill added")
    if len(steps) > 1 and order.card_queued_at is not None:
        await Notifier(uow, ctx).card_update(order)  # its buttons go: nothing left to confirm


def queue_fetch(uow: UnitOfWork, connection_id: int, remote_id: str) -> None:
    """The webhook named an order without its details (KeyCRM): the worker fetches it through
    the platform's API and receives it, retrying while the platform is down."""
    uow.outbox.add(
        channel=PLATFORM,
        method="fetch",
        payload={"connection": connection_id, "remote_id": remote_id},
        now=uow.clock.now(),
    )
