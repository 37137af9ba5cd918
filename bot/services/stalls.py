"""Stalled parcels: found by the hourly check, announced once, handled by a manager, cleared when
the parcel moves again.

The check runs in one transaction on the elected worker only. A parcel that moves while the check
runs may be announced with what was true a moment ago; the next check clears it, and a manager who
presses "I'll handle it" then reads that it moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.errors import N_, DomainError, NotFound
from bot.domain.orders import OrderStatus
from bot.domain.shipments import ShipmentStatus
from bot.domain.shop_events import ShopEvent
from bot.domain.stalls import ParcelFacts, Stalled, StallLimits, StallRule, stall_of
from bot.keyboards.stalls import handle_keyboard
from bot.services import tracking_notices
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.notifier import Notifier
from bot.services.people import MessageRef, TelegramUser
from bot.texts import stalls as texts
from storage.models import Order, Shipment, Stall
from storage.repositories.stalls import StallLine, line
from storage.uow import Database, UnitOfWork

PAGE_SIZE = 10  # parcels on a page of /stalled
# New stalls announced one message each per check; more than that (the first check on a shop
# with old orders) are announced in one message that points to /stalled: a group chat takes
# about 20 messages a minute.
ANNOUNCE_AT_ONCE = 10


class AlreadyHandled(DomainError):
    message_key = N_("{manager} is already handling this parcel.")
    code = "already_handled"


@dataclass(frozen=True)
class CheckResult:
    found: int  # new stalls (announced, the shop told)
    cleared: int  # stalls whose parcel moved again


async def check(db: Database, ctx: ServiceContext) -> CheckResult:
    """Find the parcels that stall now: announce the new ones, clear the ones that moved."""
    async with db.uow() as uow:
        now = uow.clock.now()
        today = now.astimezone(ctx.timezone).date()
        current: dict[tuple[int, str], tuple[Order, Stalled]] = {}
        for order, facts in await _candidates(uow, ctx.stall_limits, now, today):
            found = stall_of(facts, ctx.stall_limits, now=now, today=today)
            if found is not None:
                current[(order.id, found.rule.value)] = (order, found)
        cleared = 0
        opened = {(stall.order_id, stall.rule): stall for stall in await uow.stalls.open()}
        for key, stall in opened.items():
            if key not in current:
                stall.cleared_at = now
                cleared += 1
        new: list[tuple[Order, Stall]] = []
        for (order_id, rule), (order, found) in current.items():
            if (order_id, rule) in opened:
                continue
            earlier = await uow.stalls.of_order(order_id, rule)
            if earlier is not None:  # stalled again under the same rule: listed, not announced
                earlier.cleared_at = None
                earlier.since = found.since
                continue
            stall = Stall(order_id=order_id, rule=rule, since=found.since, found_at=now)
            uow.stalls.add(stall)
            new.append((order, stall))
        await uow.session.flush()
        await _announce(uow, ctx, new, today)
        await uow.commit()
        return CheckResult(found=len(new), cleared=cleared)


async def _candidates(
    uow: UnitOfWork, limits: StallLimits, now: datetime, today: date
) -> list[tuple[Order, ParcelFacts]]:
    """The parcels each rule that is on may concern, with their facts."""
    found: list[tuple[Order, ParcelFacts]] = []
    before = limits.started_before(StallRule.not_shipped, now)
    if before is not None:
        found += [
            (order, ParcelFacts(order_status=OrderStatus.confirmed, confirmed_at=at))
            for order, at in await uow.stalls.confirmed_unshipped(before)
        ]
    before = limits.started_before(StallRule.not_scanned, now)
    if before is not None:
        found += [
            (shipment.order, _facts(shipment, waybill_at=shipment.created_at))
            for shipment in await uow.stalls.unscanned(before)
        ]
    before = limits.started_before(StallRule.in_transit, now)
    if before is not None:
        found += [
            (shipment.order, _facts(shipment, in_transit_since=at))
            for shipment, at in await uow.stalls.in_transit(before)
        ]
    paid_before = limits.storage_ends_before(today)
    if paid_before is not None:
        found += [
            (
                shipment.order,
                _facts(
                    shipment,
                    # arrived_at is set with the arrival; the row's own time is the fallback
                    arrived_at=shipment.arrived_at or shipment.updated_at,
                    reachable=shipment.order.customer.reachable,
                    answered=answered,
                ),
            )
            for shipment, answered in await uow.stalls.waiting_until(paid_before)
        ]
    return found


def _facts(
    shipment: Shipment,
    *,
    waybill_at: datetime | None = None,
    in_transit_since: datetime | None = None,
    arrived_at: datetime | None = None,
    reachable: bool = True,
    answered: bool = False,
) -> ParcelFacts:
    return ParcelFacts(
        order_status=OrderStatus(shipment.order.status),
        has_shipment=True,
        shipment_status=ShipmentStatus(shipment.status) if shipment.status else None,
        waybill_at=waybill_at,
        in_transit_since=in_transit_since,
        arrived_at=arrived_at,
        paid_storage_from=shipment.paid_storage_from,
        reachable=reachable,
        answered=answered,
    )


async def _announce(
    uow: UnitOfWork, ctx: ServiceContext, new: Sequence[tuple[Order, Stall]], today: date
) -> None:
    """Each new stall: the managers hear once, the shop gets ``order.stalled`` once, and a parcel
    slow in transit makes the customer one "taking longer than usual" (a tracking notice)."""
    notifier = Notifier(uow, ctx)
    t = notifier.managers_translator
    for index, (order, stall) in enumerate(new):
        notifier.shop_event(order, ShopEvent.order_stalled, reason=stall.rule)
        if stall.rule == StallRule.in_transit:
            await tracking_notices.schedule(uow, ctx, order, tracking_notices.SLOW)
        if index < ANNOUNCE_AT_ONCE:
            shipment = await uow.shipments.of_order(order.id)
            notifier.to_managers(
                texts.announcement(
                    line(stall, order, order.customer, shipment), t, ctx.timezone, today
                ),
                markup=handle_keyboard(stall.id, t),
                order=order,
            )
    more = len(new) - ANNOUNCE_AT_ONCE
    if more > 0:
        notifier.to_managers(texts.more_stalled(more, t))


async def take(
    db: Database, ctx: ServiceContext, stall_id: int, manager: TelegramUser, alert: MessageRef
) -> Stall:
    """A manager presses "I'll handle it": the announcement says who (and that it moved, if so)."""
    require_admin(ctx, manager)
    async with db.uow() as uow:
        stall = await uow.stalls.get(stall_id, for_update=True)
        if stall is None:
            raise NotFound()
        if stall.taken_by is not None and stall.taken_by != manager.id:
            raise AlreadyHandled(manager=stall.taken_by_name or "")
        stall.taken_by = manager.id
        stall.taken_by_name = manager.full_name
        order = await uow.orders.get(stall.order_id)
        if order is None:
            raise NotFound()
        shipment = await uow.shipments.of_order(order.id)
        notifier = Notifier(uow, ctx)
        today = uow.clock.now().astimezone(ctx.timezone).date()
        text = texts.announcement(
            line(stall, order, order.customer, shipment),
            notifier.managers_translator,
            ctx.timezone,
            today,
            moved=stall.cleared_at is not None,
        )
        notifier.edit_managers_message(alert.message_id, text, order=order)
        await uow.commit()
        return stall


async def page(
    db: Database, ctx: ServiceContext, user: TelegramUser, number: int
) -> texts.StallPage:
    """A page of the open stalls (from 0), the oldest first; a page past the end shows the last."""
    require_admin(ctx, user)
    async with db.read() as uow:
        today = uow.clock.now().astimezone(ctx.timezone).date()
        total = await uow.stalls.count_open()
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(max(number, 0), pages - 1)
        lines = await uow.stalls.open_lines(number * PAGE_SIZE, PAGE_SIZE)
    return texts.StallPage(list(lines), number, pages, total, today)


async def for_digest(uow: UnitOfWork, limit: int) -> tuple[Sequence[StallLine], int]:
    """The first open stalls and how many there are, for the daily digest."""
    return await uow.stalls.open_lines(0, limit), await uow.stalls.count_open()
