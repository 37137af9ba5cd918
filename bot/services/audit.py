"""Every admin action leaves a line in the audit log, in the same transaction as the action."""

from __future__ import annotations

from bot.domain.audit import AuditAction
from bot.services.people import TelegramUser
from storage.models import AuditEntry, Customer, Order
from storage.uow import UnitOfWork


def log(
    uow: UnitOfWork,
    actor: TelegramUser,
    action: AuditAction,
    *,
    customer: Customer | None = None,
    order: Order | None = None,
    detail: str | None = None,
) -> None:
    uow.audit.add(
        AuditEntry(
            actor_id=actor.id,
            actor_name=actor.full_name,
            action=action.value,
            customer_id=customer.id if customer is not None else None,
            order_id=order.id if order is not None else None,
            detail=detail,
            created_at=uow.clock.now(),
        )
    )
