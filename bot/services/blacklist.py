"""Blacklisting and unblocking a customer by hand: shared by commands and alert buttons."""

from __future__ import annotations

from bot.domain.audit import AuditAction
from bot.domain.errors import N_, DomainError
from bot.domain.risk import ManualState, RiskLevel
from bot.services import audit, risk
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from storage.models import Customer, Order
from storage.uow import UnitOfWork


class AlreadyBlacklisted(DomainError):
    message_key = N_("{name} is already blacklisted.")
    code = "already_blacklisted"


class NotBlacklisted(DomainError):
    message_key = N_("{name} is not blacklisted.")
    code = "not_blacklisted"


async def blacklist(
    uow: UnitOfWork,
    customer: Customer,
    actor: TelegramUser,
    reason: str | None,
    *,
    order: Order | None = None,
) -> None:
    if customer.blacklist_state == ManualState.blacklisted:
        raise AlreadyBlacklisted(name=customer.name)
    _decide(uow, customer, actor, ManualState.blacklisted, reason)
    audit.log(uow, actor, AuditAction.blacklist, customer=customer, order=order, detail=reason)


async def unblock(
    uow: UnitOfWork,
    ctx: ServiceContext,
    customer: Customer,
    actor: TelegramUser,
    reason: str | None,
) -> None:
    """Lift a manual blacklist, or overrule the automatic one until the next refusal."""
    rated = await risk.rate(uow, ctx, customer)
    if rated.assessment.level is not RiskLevel.blacklisted:
        raise NotBlacklisted(name=customer.name)
    _decide(uow, customer, actor, ManualState.unblocked, reason)
    customer.unblock_refusals = rated.record.refused
    audit.log(uow, actor, AuditAction.unblock, customer=customer, detail=reason)


def _decide(
    uow: UnitOfWork,
    customer: Customer,
    actor: TelegramUser,
    state: ManualState,
    reason: str | None,
) -> None:
    now = uow.clock.now()
    customer.blacklist_state = state.value
    customer.blacklist_reason = reason
    customer.blacklist_changed_at = now
    customer.blacklist_changed_by = actor.id
    customer.blacklist_changed_by_name = actor.full_name
    customer.unblock_refusals = None
    customer.updated_at = now
