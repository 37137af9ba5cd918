"""The customer extends a waiting parcel's free storage through the carrier, behind its check.

Three steps, each its own short transaction, with the carrier asked *between* them and never
while a transaction is open:

1. :func:`offer` — the parcel still waits and may be extended → ask the carrier (outside any
   transaction) → record its offer (``offered``) for the customer to confirm. The carrier says
   no, fails, or Vykup has no key for it: the managers get the task as before, with its words.
2. :func:`confirm` — claim the offer (``offered`` → ``ordering``, a conditional UPDATE: of two
   presses, two buttons or two processes exactly one wins) and commit; order it; record the
   answer: ``ordered`` moves the last free day, the reminders, tells the shop and the history;
   ``failed`` hands it to the managers. A stale or forged button changes nothing.
3. :func:`decline` — ``offered`` → ``declined``.

A process that dies between the claim and the answer leaves the row in ``ordering``: never
ordered twice; the customer is told it is being handled, the carrier's own tracking shows the
new date if the order went through.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from bot.carriers.base import CarrierUnavailable
from bot.carriers.storage_extension import (
    ExtensionOffer,
    ExtensionOrdered,
    ExtensionRefused,
)
from bot.carriers.storage_extension import (
    StorageExtension as Extender,
)
from bot.domain.errors import N_, ButtonExpired, DomainError, NotFound
from bot.domain.feedback import FeedbackKind
from bot.domain.order_events import OrderEventKind, feedback_event
from bot.domain.orders import EventSource
from bot.domain.shop_events import ShopEvent
from bot.services.context import ServiceContext
from bot.services.history import record
from bot.services.notifier import Notifier
from bot.services.parcel_answers import WAITING, AlreadyAnswered, NotWaiting, _own
from bot.services.people import TelegramUser
from bot.services.tracking_notices import on_storage_moved
from bot.texts import parcel_alerts
from bot.texts.tracking import last_free_day
from storage.models import Feedback, Order, Shipment, StorageExtension
from storage.uow import Database, UnitOfWork

Extenders = Mapping[str, Extender]  # shipment.carrier → the carrier's capability, if configured


class State(StrEnum):
    offered = "offered"
    declined = "declined"
    ordering = "ordering"
    ordered = "ordered"
    failed = "failed"


class Fallback(StrEnum):
    """Why the managers got the task instead."""

    no_key = "no_key"  # Vykup cannot act through this carrier
    not_possible = "not_possible"  # the carrier said no
    unavailable = "unavailable"  # the carrier did not answer sensibly


class AlreadyExtended(DomainError):
    message_key = N_("The storage of this parcel is already extended.")
    code = "already_extended"


class BeingOrdered(DomainError):
    message_key = N_("We are already ordering the extension; please wait a moment.")
    code = "extension_in_progress"


@dataclass(frozen=True)
class Offered:
    extension_id: int
    last_free_day: date
    cost: Decimal | None


@dataclass(frozen=True)
class ManagerAsked:
    why: Fallback


@dataclass(frozen=True)
class Extended:
    last_free_day: date
    cost: Decimal | None


async def offer(
    db: Database, ctx: ServiceContext, extenders: Extenders, order_id: int, user: TelegramUser
) -> Offered | ManagerAsked:
    async with db.read() as uow:
        _order, shipment = await _own(uow, order_id, user, WAITING, NotWaiting, for_update=False)
        await _no_open_extension(uow, order_id)
        if not shipment.can_extend_storage:
            raise NotWaiting()
        tracking, carrier, today_last = (
            shipment.tracking_number,
            shipment.carrier,
            last_free_day(shipment),
        )
    extender = extenders.get(carrier)
    if extender is None:
        return await _ask_managers(db, ctx, order_id, user, Fallback.no_key, None)
    try:
        terms = await extender.check_extension(tracking)
    except ExtensionRefused as refused:
        return await _ask_managers(db, ctx, order_id, user, Fallback.not_possible, refused.reason)
    except CarrierUnavailable as failed:
        return await _ask_managers(db, ctx, order_id, user, Fallback.unavailable, failed.reason)
    if today_last is not None and terms.last_free_day <= today_last:
        said = f"no later day than {today_last.isoformat()} offered"
        return await _ask_managers(db, ctx, order_id, user, Fallback.not_possible, said)
    async with db.uow() as uow:
        _order, shipment = await _own(uow, order_id, user, WAITING, NotWaiting)
        await _no_open_extension(uow, order_id)
        row = StorageExtension(
            order_id=order_id,
            shipment_id=shipment.id,
            state=State.offered.value,
            last_free_day=terms.last_free_day,
            cost=terms.cost,
            created_at=uow.clock.now(),
        )
        uow.storage_extensions.add(row)
        await uow.session.flush()
        await uow.commit()
        return Offered(row.id, row.last_free_day, row.cost)


async def confirm(
    db: Database,
    ctx: ServiceContext,
    extenders: Extenders,
    extension_id: int,
    user: TelegramUser,
) -> Extended | ManagerAsked:
    async with db.uow() as uow:
        row, _order, shipment = await _decision(uow, extension_id, user)
        extender = extenders.get(shipment.carrier)
        if extender is None:  # the key was removed since the offer
            raise ButtonExpired()
        if not await uow.storage_extensions.move(
            row.id, before=State.offered, after=State.ordering, at=uow.clock.now()
        ):
            raise BeingOrdered()  # another press won the claim a moment ago
        terms = ExtensionOffer(shipment.tracking_number, row.last_free_day, row.cost)
        order_id = row.order_id
        await uow.commit()
    try:
        done: ExtensionOrdered | None = await extender.order_extension(terms)
        said = None
    except (ExtensionRefused, CarrierUnavailable) as error:
        done, said = None, error.reason
    async with db.uow() as uow:
        order = await uow.orders.get(order_id, for_update=True)
        found = await uow.shipments.of_order(order_id)
        answered = await uow.storage_extensions.get(extension_id)
        if order is None or found is None or answered is None:  # erased meanwhile
            raise NotFound()
        shipment, row = found, answered
        row.answered_at = uow.clock.now()
        if done is None:
            row.state = State.failed.value
            row.carrier_text = said
            _tell_managers(uow, ctx, order, shipment, said)
            await _store_feedback(uow, order)
            await uow.commit()
            return ManagerAsked(Fallback.not_possible)
        row.state = State.ordered.value
        row.carrier_reference = done.reference
        await _extended(uow, ctx, order, shipment, row)
        await uow.commit()
        return Extended(row.last_free_day, row.cost)


async def decline(db: Database, extension_id: int, user: TelegramUser) -> None:
    async with db.uow() as uow:
        row, _order, _shipment = await _decision(uow, extension_id, user)
        if not await uow.storage_extensions.move(
            row.id, before=State.offered, after=State.declined, at=uow.clock.now()
        ):
            raise BeingOrdered()
        await uow.commit()


async def _decision(
    uow: UnitOfWork, extension_id: int, user: TelegramUser
) -> tuple[StorageExtension, Order, Shipment]:
    """The person's own offer, still open and the latest of its order, on a waiting parcel."""
    row = await uow.storage_extensions.get(extension_id)
    if row is None:
        raise ButtonExpired()
    order, shipment = await _own(uow, row.order_id, user, WAITING, NotWaiting)
    if row.shipment_id != shipment.id:
        raise ButtonExpired()
    if row.state == State.ordered:
        raise AlreadyExtended()
    if row.state == State.ordering:
        raise BeingOrdered()
    rows = await uow.storage_extensions.of_order(row.order_id)
    if row.state != State.offered or rows[-1].id != row.id:
        raise ButtonExpired()
    return row, order, shipment


async def _no_open_extension(uow: UnitOfWork, order_id: int) -> None:
    for row in await uow.storage_extensions.of_order(order_id):
        if row.state == State.ordered:
            raise AlreadyExtended()
        if row.state == State.ordering:
            raise BeingOrdered()


async def _extended(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, shipment: Shipment, row: StorageExtension
) -> None:
    now = uow.clock.now()
    shipment.paid_storage_from = row.last_free_day + timedelta(days=1)
    shipment.can_extend_storage = False  # extended once; the carrier's tracking may say more
    shipment.updated_at = now
    until = row.last_free_day.isoformat()
    cost = None if row.cost is None else str(row.cost)
    record(
        uow,
        order,
        OrderEventKind.storage_extended,
        source=EventSource.customer,
        reason=until,
        comment=_history_note(row),
    )
    Notifier(uow, ctx).shop_event(
        order,
        ShopEvent.shipment_storage_extended,
        reason=until,
        extra={"storage_free_until": until, "storage_extension_cost": cost},
    )
    await on_storage_moved(uow, ctx, order, shipment)


def _history_note(row: StorageExtension) -> str:
    parts = [f"→ {row.last_free_day.isoformat()}"]
    if row.cost is not None:
        parts.append(f"{row.cost} UAH")
    if row.carrier_reference:
        parts.append(row.carrier_reference)
    return ", ".join(parts)


async def _ask_managers(
    db: Database,
    ctx: ServiceContext,
    order_id: int,
    user: TelegramUser,
    why: Fallback,
    said: str | None,
) -> ManagerAsked:
    """The task for the managers, as before this capability, with the carrier's words."""
    async with db.uow() as uow:
        order, shipment = await _own(uow, order_id, user, WAITING, NotWaiting)
        await _store_feedback(uow, order, once=True)
        _tell_managers(uow, ctx, order, shipment, said)
        Notifier(uow, ctx).shop_event(order, ShopEvent.shipment_storage_extension_requested)
        await uow.commit()
        return ManagerAsked(why)


def _tell_managers(
    uow: UnitOfWork, ctx: ServiceContext, order: Order, shipment: Shipment, said: str | None
) -> None:
    notifier = Notifier(uow, ctx)
    t = notifier.managers_translator
    notifier.to_managers(
        parcel_alerts.extension_asked(order, shipment, t, carrier_said=said), order=order
    )


async def _store_feedback(uow: UnitOfWork, order: Order, *, once: bool = False) -> None:
    """The customer's request as the history and reports know it (one row an order)."""
    if await uow.feedback.get(order.id, FeedbackKind.storage_extension) is not None:
        if once:
            raise AlreadyAnswered()
        return
    uow.feedback.add(
        Feedback(
            order_id=order.id,
            customer_id=order.customer_id,
            kind=FeedbackKind.storage_extension.value,
            value="asked",
            comment=None,
            created_at=uow.clock.now(),
        )
    )
    record(uow, order, feedback_event(FeedbackKind.storage_extension), source=EventSource.customer)
