"""An order's history: every status change and every other thing that happened to it."""

from __future__ import annotations

from bot.domain.orders import EventSource, OrderStatus, check_transition
from storage.models import Order, OrderEvent
from storage.uow import UnitOfWork


def record(
    uow: UnitOfWork,
    order: Order,
    kind: str,
    *,
    source: EventSource,
    actor_id: int | None = None,
    reason: str | None = None,
    comment: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
) -> None:
    uow.orders.add_event(
        OrderEvent(
            order_id=order.id,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            source=source.value,
            actor_id=actor_id,
            reason=reason,
            comment=comment,
            occurred_at=uow.clock.now(),
        )
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
) -> OrderStatus:
    """Move the order if the transition table allows it (else IllegalTransition); return the old status."""
    current = OrderStatus(order.status)
    check_transition(current, target)
    order.status = target.value
    order.updated_at = uow.clock.now()
    record(
        uow,
        order,
        "status",
        source=source,
        actor_id=actor_id,
        reason=reason,
        comment=comment,
        from_status=current.value,
        to_status=target.value,
    )
    return current
