"""Telling the customer about their parcel: once per step, in order, never at night.

Every notice is a timer: due at once, or when quiet hours end. When it fires, it checks that it is
still news (a parcel that was picked up overnight gets no "it has arrived" in the morning).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.categories import categorize
from bot.domain.feedback import FeedbackKind
from bot.domain.outreach import OutreachPurpose
from bot.domain.pickup import free_days_left, reminder_times, reminder_worth_sending
from bot.domain.quiet_hours import QuietMode
from bot.domain.shipments import ShipmentStatus
from bot.keyboards.returns.flow import start_button
from bot.keyboards.tracking import pickup_keyboard, rating_keyboard, refusal_keyboard
from bot.services.context import ServiceContext
from bot.services.notifier import Markup, Notifier
from bot.services.outreach.plan import plan_notice
from bot.texts import stalls as stall_texts
from bot.texts import tracking as texts
from bot.texts.manager import parcel_waiting_alert
from bot.texts.templates import TemplateKey
from storage.models import Order, Shipment, Timer
from storage.uow import UnitOfWork

TRACK = "track"
PICKUP = "pickup"
SHIPPED = "shipped"
WHY = "why"
STORAGE = "storage"  # the last free day moved after the customer heard of the arrival
SLOW = "slow"  # in transit longer than STALL_IN_TRANSIT: "taking longer than usual", once

# The notice a new status causes, and the statuses under which that notice is still news.
NOTICE_FOR = {
    ShipmentStatus.arrived: ShipmentStatus.arrived.value,
    ShipmentStatus.received: ShipmentStatus.received.value,
    ShipmentStatus.refused: WHY,
    ShipmentStatus.returning: WHY,
    ShipmentStatus.storage_ended: ShipmentStatus.storage_ended.value,
    ShipmentStatus.delivery_failed: ShipmentStatus.delivery_failed.value,
}
STILL_NEWS: dict[str, set[str | None]] = {
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
    STORAGE: {ShipmentStatus.arrived.value},
    SLOW: {ShipmentStatus.in_transit.value},
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
    if status is ShipmentStatus.arrived:
        await plan_pickup_reminders(uow, ctx, order, shipment)


async def plan_pickup_reminders(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, shipment: Shipment
) -> None:
    """(Re)plan the reminders of a waiting parcel from its arrival and its paid-storage date.

    Called again when the carrier moves the last free day: reminders still pending move, and
    a reminder that no longer has a moment ahead is cancelled.
    """
    if shipment.arrived_at is None:
        return
    now = uow.clock.now()
    moments = reminder_times(
        ctx.pickup_rules,
        arrived_at=shipment.arrived_at,
        paid_storage_from=shipment.paid_storage_from,
        zone=ctx.timezone,
        now=now,
    )
    due = {f"{PICKUP}:{index}": moment for index, moment in enumerate(moments)}
    for timer in await uow.timers.of_order(order.id):
        if timer.kind.startswith(f"{PICKUP}:") and timer.kind not in due and timer.done_at is None:
            timer.done_at = now  # cancelled: its moment is gone
    if due:
        await uow.timers.schedule_all(order_id=order.id, due=due, now=now)


async def on_storage_moved(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, shipment: Shipment
) -> None:
    """The last free day changed while the parcel waits: reminders move, the customer hears.

    A customer who asked to extend the storage waits for exactly this; one told a wrong day
    must hear the right one. Not before the arrival notice (it will carry the new day itself),
    and not when the new day is already over.
    """
    await plan_pickup_reminders(uow, ctx, order, shipment)
    free_until = texts.last_free_day(shipment)
    today = uow.clock.now().astimezone(ctx.timezone).date()
    if free_until is None or free_until < today:
        return
    if not _pending(_arrival_notice(await uow.timers.of_order(order.id))):
        await schedule(uow, ctx, order, STORAGE)


def _arrival_notice(timers: Sequence[Timer]) -> Timer | None:
    """The arrival notice's timer; None when housekeeping removed it long after it ran."""
    kind = f"{TRACK}:{ShipmentStatus.arrived.value}"
    return next((timer for timer in timers if timer.kind == kind), None)


def _pending(timer: Timer | None) -> bool:
    """Not run yet, or waiting to run again (quiet hours moved it)."""
    return timer is not None and timer.done_at is None


async def _reminder_worth_sending(uow: UnitOfWork, order_id: int, kind: str) -> bool:
    """A due pickup reminder goes out only after its arrival notice, and only the latest of
    several overdue ones (see :func:`bot.domain.pickup.reminder_worth_sending`)."""
    now = uow.clock.now()
    timers = await uow.timers.of_order(order_id)
    mine = next((timer for timer in timers if timer.kind == kind), None)
    overtaken = mine is not None and any(
        timer.kind.startswith(f"{PICKUP}:")
        and timer.done_at is None
        and mine.due_at < timer.due_at <= now
        for timer in timers
    )
    notice = _arrival_notice(timers)
    return reminder_worth_sending(
        notice_pending=_pending(notice),
        notice_sent_at=notice.done_at if notice is not None else None,
        now=now,
        overtaken=overtaken,
    )


async def fire(uow: UnitOfWork, ctx: ServiceContext, kind: str, order_id: int) -> None:
    """A tracking timer is due: say it now, later (quiet hours), or not at all (old news)."""
    feature, _, notice = kind.partition(":")
    order = await uow.orders.get(order_id)
    shipment = await uow.shipments.of_order(order_id) if order else None
    if order is None or shipment is None:
        return
    if feature == PICKUP:
        if shipment.status != ShipmentStatus.arrived:
            return  # picked up, refused or gone back: reminders stop
        if not await _reminder_worth_sending(uow, order_id, kind):
            return
    elif shipment.status not in STILL_NEWS.get(notice, set()):
        return
    customer = order.customer
    if not customer.reachable:
        await _outside_telegram(uow, ctx, order, shipment, feature, notice)
        return
    now = uow.clock.now()
    release = ctx.quiet_hours.release_at(now, ctx.timezone)
    if release is not None and ctx.quiet_mode is QuietMode.defer:
        await uow.timers.schedule(kind=kind, order_id=order_id, due_at=release, now=now)
        return
    await _send(uow, ctx, order, shipment, feature, notice, silent=release is not None)


async def _outside_telegram(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: Order,
    shipment: Shipment,
    feature: str,
    notice: str,
) -> None:
    """The chat cannot carry it: the arrival and the last free day go by Viber/SMS where
    OUTREACH_NOTICES says so; an arrival that cannot go that way makes the managers call."""
    if feature == PICKUP:
        today = uow.clock.now().astimezone(ctx.timezone).date()
        if free_days_left(shipment.paid_storage_from, today) == 0:
            await plan_notice(uow, ctx, order, OutreachPurpose.storage_last_day)
    elif notice == ShipmentStatus.arrived and not await plan_notice(
        uow, ctx, order, OutreachPurpose.arrived
    ):
        await _alert_unreachable(uow, ctx, order, shipment)


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
    if notice == SLOW:
        text = stall_texts.taking_longer(order.external_id, t)
        await notifier.to_customer(order.customer, text, order=order, silent=silent)
        return
    if notice == STORAGE:
        markup = pickup_keyboard(order.id, t, can_extend=can_extend)
        text = texts.storage_moved(order, shipment, t)
        await notifier.to_customer(order.customer, text, markup=markup, order=order, silent=silent)
        return
    if feature == PICKUP:
        key = TemplateKey.pickup_reminder
        markup = pickup_keyboard(order.id, t, can_extend=can_extend)
    elif notice == SHIPPED:
        key = TemplateKey.shipped
    elif notice == ShipmentStatus.arrived:
        key = TemplateKey.arrived
        markup = pickup_keyboard(order.id, t, can_extend=can_extend)
    elif notice == ShipmentStatus.received:
        returnable = any(item.returnable for item in order.items)
        offer = returnable and await _return_window_open(uow, ctx, order)
        button = start_button(order.id, t) if offer else None
        key, markup = TemplateKey.received, rating_keyboard(order.id, button)
    elif notice == WHY:
        if await uow.feedback.get(order.id, FeedbackKind.refusal) is not None:
            return
        key, markup = TemplateKey.why_not_taken, refusal_keyboard(order.id, t)
    elif notice == ShipmentStatus.storage_ended:
        key = TemplateKey.storage_ended
    else:
        key = TemplateKey.delivery_failed
    category = categorize(await uow.history.of_customer(order.customer_id))
    text = texts.message(
        key, order, shipment, t, now=uow.clock.now(), templates=ctx.templates, category=category
    )
    await notifier.to_customer(order.customer, text, markup=markup, order=order, silent=silent)


async def _return_window_open(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> bool:
    """Counted from when the parcel was received (the carrier's day), not from when we heard."""
    received_on = (await uow.returns.received_at(order)).astimezone(ctx.timezone).date()
    today = uow.clock.now().astimezone(ctx.timezone).date()
    return ctx.return_rules.window_open(received_on, today)


async def alert_if_waiting(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> None:
    """The customer just became unreachable: if their parcel waits at a branch, managers call."""
    shipment = await uow.shipments.of_order(order.id)
    if shipment is not None and shipment.status == ShipmentStatus.arrived:
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
