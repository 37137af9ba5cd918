"""An order's history: every status change and every other thing that happened to it."""

from __future__ import annotations

from datetime import datetime

from bot.domain.happened import happened_at, order_began
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import EventSource, OrderStatus, check_transition
from storage.models import Order, OrderEvent
from storage.uow import UnitOfWork


def record(
    uow: UnitOfWork,
    order: Order,
    kind: OrderEventKind,
    *,
    source: EventSource,
    actor_id: int | None = None,
    reason: str | None = None,
    comment: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    at: datetime | None = None,
) -> None:
    """``at``: when it happened, if not just now (see :func:`reported_moment`)."""
    uow.orders.add_event(
        OrderEvent(
            order_id=order.id,
            kind=kind.value,
            from_status=from_status,
            to_status=to_status,
            source=source.value,
            actor_id=actor_id,
            reason=reason,
            comment=comment,
            occurred_at=at or uow.clock.now(),
        )
    )


def reported_moment(uow: UnitOfWork, order: Order, reported: datetime | None) -> datetime:
    """When a thing the shop or the carrier reports about ``order`` happened, bounded: never
    after now, never before the order began; now when they did not say."""
    return happened_at(
        reported,
        learnt_at=uow.clock.now(),
        not_before=order_began(order.created_at, order.shop_created_at),
    )


def change_status(
    uow: UnitOfWork,
    order: Order,
    target: OrderStatus,
    *,
    source: EventSource,
    actor_id: int | None = None,
    reason: str | None = None,
    comment: str | None = None,
    at: datetime | None = None,
) -> OrderStatus:
    """Move the order if the transition table allows it (else IllegalTransition); return the old status.

    ``at``: when the move happened elsewhere (the carrier's time), if not just now.
    """
    current = OrderStatus(order.status)
    check_transition(current, target)
    order.status = target.value
    order.updated_at = uow.clock.now()
    record(
        uow,
        order,
        OrderEventKind.status,
        source=source,
        actor_id=actor_id,
        reason=reason,
        comment=comment,
        from_status=current.value,
        to_status=target.value,
        at=at,
    )
    return current
