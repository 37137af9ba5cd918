"""Telling the customer about their parcel: once per step, in order, never at night.

Every notice is a timer: due at once, or when quiet hours end. When it fires, it checks that it is
still news (a parcel that was picked up overnight gets no "it has arrived" in the morning).
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.categories import categorize
from bot.domain.feedback import FeedbackKind
from bot.domain.pickup import reminder_times
from bot.domain.quiet_hours import QuietMode
from bot.domain.shipments import ShipmentStatus
from bot.keyboards.return_flow import start_button
from bot.keyboards.tracking import pickup_keyboard, rating_keyboard, refusal_keyboard
from bot.services.context import ServiceContext
from bot.services.notifier import Markup, Notifier
from bot.templates import TemplateKey
from bot.texts import tracking as texts
from bot.texts.manager import parcel_waiting_alert
from storage.models import Order, Shipment
from storage.uow import UnitOfWork

TRACK = "track"
PICKUP = "pickup"
SHIPPED = "shipped"
WHY = "why"

# The notice a new status causes, and the statuses under which that notice is still news.
NOTICE_FOR = {
    ShipmentStatus.arrived: ShipmentStatus.arrived.value,
    ShipmentStatus.received: ShipmentStatus.received.value,
    ShipmentStatus.refused: WHY,
    ShipmentStatus.returning: WHY,
    ShipmentStatus.storage_ended: ShipmentStatus.storage_ended.value,
    ShipmentStatus.delivery_failed: ShipmentStatus.delivery_failed.value,
}
STILL_NEWS = {
    SHIPPED: {None, ShipmentStatus.created.value, ShipmentStatus.in_transit.value},
    ShipmentStatus.arrived.value: {ShipmentStatus.arrived.value},
    ShipmentStatus.received.value: {ShipmentStatus.received.value},
    WHY: {
        ShipmentStatus.refused.value,
        ShipmentStatus.returning.value,
        ShipmentStatus.returned.value,
    },
    ShipmentStatus.storage_ended.value: {ShipmentStatus.storage_ended.value},
    ShipmentStatus.delivery_failed.value: {ShipmentStatus.delivery_failed.value},
}


async def schedule(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, notice: str, at: datetime | None = None
) -> None:
    now = uow.clock.now()
    await uow.timers.schedule(
        kind=f"{TRACK}:{notice}", order_id=order.id, due_at=at or now, now=now
    )


async def on_status(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, shipment: Shipment, status: ShipmentStatus
) -> None:
    """Queue what the customer should hear about a new status, and plan pickup reminders."""
    notice = NOTICE_FOR.get(status)
    if notice is not None:
        await schedule(uow, ctx, order, notice)
    if status is ShipmentStatus.arrived and shipment.arrived_at is not None:
        moments = reminder_times(
            ctx.pickup_rules,
            arrived_at=shipment.arrived_at,
            paid_storage_from=shipment.paid_storage_from,
            zone=ctx.timezone,
        )
        now = uow.clock.now()
        for index, moment in enumerate(moments):
            await uow.timers.schedule(
                kind=f"{PICKUP}:{index}", order_id=order.id, due_at=moment, now=now
            )


async def fire(uow: UnitOfWork, ctx: ServiceContext, kind: str, order_id: int) -> None:
    """A tracking timer is due: say it now, later (quiet hours), or not at all (old news)."""
    feature, _, notice = kind.partition(":")
    order = await uow.orders.get(order_id)
    shipment = await uow.shipments.of_order(order_id) if order else None
    if order is None or shipment is None:
        return
    if feature == PICKUP:
        if shipment.status != ShipmentStatus.arrived.value:
            return  # picked up, refused or gone back: reminders stop
    elif shipment.status not in STILL_NEWS.get(notice, set()):
        return
    customer = order.customer
    if not customer.reachable:
        if notice == ShipmentStatus.arrived.value:
            await _alert_unreachable(uow, ctx, order, shipment)
        return
    now = uow.clock.now()
    release = ctx.quiet_hours.release_at(now, ctx.timezone)
    if release is not None and ctx.quiet_mode is QuietMode.defer:
        await uow.timers.schedule(kind=kind, order_id=order_id, due_at=release, now=now)
        return
    await _send(uow, ctx, order, shipment, feature, notice, silent=release is not None)


async def _send(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: Order,
    shipment: Shipment,
    feature: str,
    notice: str,
    *,
    silent: bool,
) -> None:
    notifier = Notifier(uow, ctx)
    t = await notifier.translator_for(order.customer, order)
    can_extend = bool(shipment.can_extend_storage)
    markup: Markup | None = None
    if feature == PICKUP:
        key = TemplateKey.pickup_reminder
        markup = pickup_keyboard(order.id, t, can_extend=can_extend)
    elif notice == SHIPPED:
        key = TemplateKey.shipped
    elif notice == ShipmentStatus.arrived.value:
        key = TemplateKey.arrived
        markup = pickup_keyboard(order.id, t, can_extend=can_extend)
    elif notice == ShipmentStatus.received.value:
        returnable = any(item.returnable for item in order.items)
        button = start_button(order.id, t) if returnable else None
        key, markup = TemplateKey.received, rating_keyboard(order.id, button)
    elif notice == WHY:
        if await uow.feedback.get(order.id, FeedbackKind.refusal) is not None:
            return
        key, markup = TemplateKey.why_not_taken, refusal_keyboard(order.id, t)
    elif notice == ShipmentStatus.storage_ended.value:
        key = TemplateKey.storage_ended
    else:
        key = TemplateKey.delivery_failed
    category = categorize(await uow.history.of_customer(order.customer_id))
    text = texts.message(key, order, shipment, t, templates=ctx.templates, category=category)
    await notifier.to_customer(order.customer, text, markup=markup, order=order, silent=silent)


async def alert_if_waiting(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> None:
    """The customer just became unreachable: if their parcel waits at a branch, managers call."""
    shipment = await uow.shipments.of_order(order.id)
    if shipment is not None and shipment.status == ShipmentStatus.arrived.value:
        await _alert_unreachable(uow, ctx, order, shipment)


async def _alert_unreachable(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, shipment: Shipment
) -> None:
    """The parcel waits but the chat cannot reach its customer: managers call, once per parcel."""
    if shipment.unreachable_alerted_at is not None:
        return
    shipment.unreachable_alerted_at = uow.clock.now()
    notifier = Notifier(uow, ctx)
    today = uow.clock.now().astimezone(ctx.timezone).date()
    notifier.to_managers(
        parcel_waiting_alert(order, shipment, today, notifier.managers_translator), order=order
    )
