"""Parcels: the shop attaches a waybill; carrier events move the parcel and the order along."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from bot.domain.errors import N_, DomainError, NotFound
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import Carrier, EventSource, OrderStatus, path_to
from bot.domain.shipments import FINAL, ORDER_STATUS, ShipmentStatus, moves_forward
from bot.domain.shop_events import shipment_event
from bot.domain.waybills import compact_waybill, valid_waybill
from bot.services import tracking_notices
from bot.services.context import ServiceContext
from bot.services.history import change_status, record, reported_moment
from bot.services.notifier import Notifier
from storage.models import Order, Shipment, ShipmentEvent
from storage.uow import Database, UnitOfWork

log = logging.getLogger(__name__)


class InvalidTrackingNumber(DomainError):
    message_key = N_("This is not a valid waybill number for the carrier.")
    code = "invalid_tracking_number"


class ShipmentConflict(DomainError):
    message_key = N_(
        "The order already has another waybill, or the waybill belongs to another order."
    )
    code = "shipment_conflict"


@dataclass(frozen=True)
class ShipmentUpdate:
    """One event about a parcel, from the shop or from the carrier, already validated."""

    status: ShipmentStatus
    occurred_at: datetime | None = None
    point: str | None = None
    paid_storage_from: date | None = None
    expected_delivery: date | None = None
    cod_amount: Decimal | None = None
    can_extend_storage: bool | None = None
    carrier_code: str | None = None
    source: EventSource = EventSource.shop


@dataclass(frozen=True)
class AttachResult:
    shipment: Shipment
    created: bool


@dataclass(frozen=True)
class EventResult:
    shipment: Shipment
    applied: bool  # False: a repeat or an old event, nothing changed


async def attach_shipment(
    db: Database, ctx: ServiceContext, external_id: str, carrier: Carrier, tracking_number: str
) -> AttachResult:
    """The order is shipped with this waybill; the customer hears it (at a decent hour)."""
    async with db.uow() as uow:
        order = await uow.orders.by_external_id(external_id, for_update=True)
        if order is None:
            raise NotFound()
        try:
            attached = await attach_in_transaction(uow, ctx, order, carrier, tracking_number)
        except IntegrityError:
            raise ShipmentConflict() from None
        shipment = await uow.shipments.of_order(order.id)
        assert shipment is not None
        await uow.commit()
        return AttachResult(shipment, created=attached)


async def attach_in_transaction(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, carrier: Carrier, tracking_number: str
) -> bool:
    """Attach the waybill to the (locked) ``order`` in the caller's transaction; False when this
    very waybill is attached already. Raises InvalidTrackingNumber or ShipmentConflict, and
    IntegrityError when a concurrent transaction attached the same number first."""
    number = compact_waybill(tracking_number)
    if not valid_waybill(carrier, number):
        raise InvalidTrackingNumber()
    existing = await uow.shipments.of_order(order.id)
    if existing is not None:
        if existing.tracking_number == number and existing.carrier == carrier:
            return False
        raise ShipmentConflict()
    if await uow.shipments.by_tracking_number(number) is not None:
        raise ShipmentConflict()
    if order.status != OrderStatus.shipped:  # the shop may have marked it shipped already
        change_status(uow, order, OrderStatus.shipped, source=EventSource.shop, comment=number)
    now = uow.clock.now()
    shipment = Shipment(
        order_id=order.id,
        carrier=carrier.value,
        tracking_number=number,
        status=None,
        created_at=now,
        updated_at=now,
    )
    uow.shipments.add(shipment)
    await uow.session.flush()  # IntegrityError: another request attached the number just now
    await tracking_notices.schedule(uow, ctx, order, tracking_notices.SHIPPED)
    return True


async def record_shipment_event(
    db: Database, ctx: ServiceContext, tracking_number: str, update: ShipmentUpdate
) -> EventResult:
    """Take the event if it is news; a repeat or a late event changes nothing and tells nobody."""
    number = compact_waybill(tracking_number)
    async with db.uow() as uow:
        shipment = await uow.shipments.by_tracking_number(number, for_update=True)
        if shipment is None:
            raise NotFound()
        try:
            applied = await _apply(uow, ctx, shipment, update)
            await uow.commit()
            return EventResult(shipment, applied)
        except IntegrityError:  # the same event, recorded by a concurrent request
            await uow.rollback()
    async with db.read() as uow:
        shipment = await uow.shipments.by_tracking_number(number)
        if shipment is None:
            raise NotFound()
        return EventResult(shipment, applied=False)


async def _apply(
    uow: UnitOfWork, ctx: ServiceContext, shipment: Shipment, update: ShipmentUpdate
) -> bool:
    current = ShipmentStatus(shipment.status) if shipment.status else None
    incoming = update.status
    if not moves_forward(current, incoming) or await uow.shipments.has_event(shipment.id, incoming):
        if incoming == current:  # the same news again, perhaps with a corrected storage date
            await _refresh_repeat(uow, ctx, shipment, update)
        return False
    now = uow.clock.now()
    uow.shipments.add_event(
        ShipmentEvent(
            shipment_id=shipment.id,
            status=incoming.value,
            source=update.source.value,
            carrier_code=update.carrier_code,
            occurred_at=update.occurred_at or now,
            recorded_at=now,
        )
    )
    await uow.session.flush()
    shipment.status = incoming.value
    shipment.last_event_at = update.occurred_at or now
    shipment.updated_at = now
    _refresh_details(shipment, update)
    if incoming is ShipmentStatus.arrived:
        shipment.arrived_at = update.occurred_at or now
    if incoming in FINAL:
        shipment.final_at = now
    order = shipment.order
    happened = reported_moment(uow, order, update.occurred_at)
    _advance_order(uow, order, incoming, update.source, happened)
    await tracking_notices.on_status(uow, ctx, order, shipment, incoming)
    Notifier(uow, ctx).shop_event(
        order, shipment_event(incoming), comment=shipment.tracking_number, at=happened
    )
    return True


async def _refresh_repeat(
    uow: UnitOfWork, ctx: ServiceContext, shipment: Shipment, update: ShipmentUpdate
) -> None:
    storage_before = shipment.paid_storage_from
    _refresh_details(shipment, update)
    if shipment.status == ShipmentStatus.arrived and shipment.paid_storage_from != storage_before:
        await tracking_notices.on_storage_moved(uow, ctx, shipment.order, shipment)


def _refresh_details(shipment: Shipment, update: ShipmentUpdate) -> None:
    for name in (
        "point",
        "paid_storage_from",
        "expected_delivery",
        "cod_amount",
        "can_extend_storage",
    ):
        value = getattr(update, name)
        if value is not None:
            setattr(shipment, name, value)


def _advance_order(
    uow: UnitOfWork, order: Order, status: ShipmentStatus, source: EventSource, at: datetime
) -> None:
    """Move the order as far as the parcel went, through any step the shop skipped.

    Only steps a parcel takes on its own are walked (never ``cancelled`` or ``on_hold``). The
    history gets the carrier's moment ``at``: the return window and the rating count from it.
    """
    target = ORDER_STATUS[status]
    if target is None or order.status == target:
        return
    steps = path_to(OrderStatus(order.status), target)
    if steps is None or any(step in (OrderStatus.cancelled, OrderStatus.on_hold) for step in steps):
        log.warning("order %s stays %s: parcel is %s", order.external_id, order.status, status)
        record(
            uow, order, OrderEventKind.carrier_status, source=source, comment=status.value, at=at
        )
        return
    for step in steps:
        change_status(uow, order, step, source=source, at=at)
