"""The customer answers a tracking message: a pickup promise, a reason, a rating."""

from __future__ import annotations

from bot.domain.errors import N_, ButtonExpired, DomainError, NotFound
from bot.domain.feedback import RATINGS, CannotPickReason, FeedbackKind, RefusalReason, is_low
from bot.domain.order_events import feedback_event
from bot.domain.orders import EventSource
from bot.domain.shipments import ShipmentStatus
from bot.domain.shop_events import ShopEvent
from bot.services.context import ServiceContext
from bot.services.history import record
from bot.services.notifier import Notifier
from bot.services.people import TelegramUser
from bot.texts import parcel_alerts
from storage.models import Feedback, Order, Shipment
from storage.uow import Database, UnitOfWork

MAX_COMMENT = 1000


class AlreadyAnswered(DomainError):
    message_key = N_("Thank you, we already have your answer.")
    code = "already_answered"


class NotWaiting(DomainError):
    message_key = N_("This parcel is no longer waiting at the branch.")
    code = "not_waiting"


WAITING = frozenset({ShipmentStatus.arrived})
RECEIVED = frozenset({ShipmentStatus.received})
NOT_TAKEN = frozenset({ShipmentStatus.refused, ShipmentStatus.returning, ShipmentStatus.returned})


async def _own(
    uow: UnitOfWork,
    order_id: int,
    user: TelegramUser,
    expect: frozenset[ShipmentStatus],
    wrong: type[DomainError] = NotFound,
    *,
    for_update: bool = True,
) -> tuple[Order, Shipment]:
    """The person's own order and parcel, in one of the ``expect``ed states (else ``wrong``)."""
    order = await uow.orders.get(order_id, for_update=for_update)
    shipment = await uow.shipments.of_order(order_id) if order else None
    if order is None or shipment is None or order.customer.telegram_id != user.id:
        raise NotFound()
    if shipment.status not in expect:
        raise wrong()
    return order, shipment


async def _store_once(
    uow: UnitOfWork, order: Order, kind: FeedbackKind, value: str, comment: str | None
) -> None:
    if await uow.feedback.get(order.id, kind) is not None:
        raise AlreadyAnswered()
    uow.feedback.add(
        Feedback(
            order_id=order.id,
            customer_id=order.customer_id,
            kind=kind.value,
            value=value,
            comment=comment,
            created_at=uow.clock.now(),
        )
    )
    record(
        uow, order, feedback_event(kind), source=EventSource.customer, reason=value, comment=comment
    )


def _clean(comment: str | None) -> str | None:
    return (comment or "").strip()[:MAX_COMMENT] or None


async def check_waiting(db: Database, order_id: int, user: TelegramUser) -> Shipment:
    """The person's parcel that still waits at the branch, or an error saying why not."""
    async with db.read() as uow:
        _order, shipment = await _own(uow, order_id, user, WAITING, NotWaiting, for_update=False)
        return shipment


async def promise_pickup(
    db: Database, ctx: ServiceContext, order_id: int, user: TelegramUser
) -> Order:
    async with db.uow() as uow:
        order, _shipment = await _own(uow, order_id, user, WAITING, NotWaiting)
        await _store_once(uow, order, FeedbackKind.pickup_promise, "today", None)
        await uow.commit()
        return order


async def cannot_pick_up(
    db: Database,
    ctx: ServiceContext,
    order_id: int,
    user: TelegramUser,
    reason: CannotPickReason,
    comment: str | None = None,
) -> Order:
    async with db.uow() as uow:
        order, shipment = await _own(uow, order_id, user, WAITING, NotWaiting)
        comment = _clean(comment)
        await _store_once(uow, order, FeedbackKind.cannot_pick_up, reason.value, comment)
        notifier = Notifier(uow, ctx)
        t = notifier.managers_translator
        notifier.to_managers(
            parcel_alerts.cannot_pick_up(order, shipment, reason, comment, t), order=order
        )
        notifier.shop_event(
            order, ShopEvent.shipment_cannot_pick_up, reason=reason.value, comment=comment
        )
        await uow.commit()
        return order


async def ask_storage_extension(
    db: Database, ctx: ServiceContext, order_id: int, user: TelegramUser
) -> Order:
    async with db.uow() as uow:
        order, shipment = await _own(uow, order_id, user, WAITING, NotWaiting)
        if not shipment.can_extend_storage:
            raise NotWaiting()
        await _store_once(uow, order, FeedbackKind.storage_extension, "asked", None)
        notifier = Notifier(uow, ctx)
        notifier.to_managers(
            parcel_alerts.extension_asked(order, shipment, notifier.managers_translator),
            order=order,
        )
        notifier.shop_event(order, ShopEvent.shipment_storage_extension_requested)
        await uow.commit()
        return order


async def rate(
    db: Database, ctx: ServiceContext, order_id: int, user: TelegramUser, stars: int
) -> Order:
    if stars not in RATINGS:
        raise ButtonExpired()
    async with db.uow() as uow:
        order, _shipment = await _own(uow, order_id, user, RECEIVED)
        await _store_once(uow, order, FeedbackKind.rating, str(stars), None)
        notifier = Notifier(uow, ctx)
        if is_low(stars):
            notifier.to_managers(
                parcel_alerts.low_rating(order, stars, notifier.managers_translator), order=order
            )
        notifier.shop_event(order, ShopEvent.order_rated, reason=str(stars))
        await uow.commit()
        return order


async def explain_refusal(
    db: Database,
    ctx: ServiceContext,
    order_id: int,
    user: TelegramUser,
    reason: RefusalReason,
    comment: str | None = None,
) -> Order:
    async with db.uow() as uow:
        order, _shipment = await _own(uow, order_id, user, NOT_TAKEN)
        comment = _clean(comment)
        await _store_once(uow, order, FeedbackKind.refusal, reason.value, comment)
        notifier = Notifier(uow, ctx)
        notifier.to_managers(
            parcel_alerts.refusal_reason(order, reason, comment, notifier.managers_translator),
            order=order,
        )
        notifier.shop_event(
            order, ShopEvent.order_refusal_reason, reason=reason.value, comment=comment
        )
        await uow.commit()
        return order


async def check_can_explain(db: Database, order_id: int, user: TelegramUser) -> Order:
    async with db.read() as uow:
        order, _shipment = await _own(uow, order_id, user, NOT_TAKEN, for_update=False)
        if await uow.feedback.get(order.id, FeedbackKind.refusal) is not None:
            raise AlreadyAnswered()
        return order
