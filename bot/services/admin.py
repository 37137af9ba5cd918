"""Admin commands: the blacklist, ratings, notes, flags, search and the audit log.

Every function checks that the person is an admin first: filters in the handlers are not enough.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.audit import AuditAction
from bot.domain.errors import N_, DomainError
from bot.domain.risk import Flag
from bot.domain.targets import Target, TargetKind
from bot.services import audit, blacklist, risk
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.people import TelegramUser
from bot.views.customers import BlacklistPage, CustomerRating, RatedCustomer
from storage.models import AuditEntry, Customer, CustomerFlag, CustomerNote
from storage.uow import Database, UnitOfWork

RECENT_ORDERS = 5
RECENT_NOTES = 3
FOUND_AT_MOST = 10
PAGE_SIZE = 10
AUDIT_LINES = 20


class CustomerNotFound(DomainError):
    message_key = N_("No customer found for {target}.")
    code = "customer_not_found"


class NotAPhone(DomainError):
    message_key = N_("{target} is not a valid phone number, and no order has this number.")
    code = "invalid_phone"


class NotAUsername(DomainError):
    message_key = N_("{target} is not a valid Telegram username.")
    code = "invalid_username"


async def customer_of(uow: UnitOfWork, target: Target, *, for_update: bool = False) -> Customer:
    """The customer a phone, an order number or a @username names; raise if none."""
    customer: Customer | None = None
    if target.kind is TargetKind.bad_username:
        raise NotAUsername(target=target.text)
    if target.kind is TargetKind.phone:
        customer = await uow.customers.by_phone(target.value)
    elif target.kind is TargetKind.username:
        found = await uow.customers.by_username(target.value)
        customer = found[-1] if found else None
    else:
        order = await uow.orders.by_external_id(target.value) or await uow.orders.by_external_id(
            target.text
        )
        customer = order.customer if order is not None else None
        if customer is None and target.kind is TargetKind.bad_phone:
            raise NotAPhone(target=target.text)
    if customer is None:
        raise CustomerNotFound(target=target.text)
    if for_update:
        locked = await uow.customers.get(customer.id, for_update=True)
        assert locked is not None
        return locked
    return customer


async def rating(
    db: Database, ctx: ServiceContext, user: TelegramUser, target: Target
) -> CustomerRating:
    require_admin(ctx, user)
    async with db.read() as uow:
        customer = await customer_of(uow, target)
        return CustomerRating(
            rated=await risk.rate(uow, ctx, customer),
            recent_orders=list(await uow.orders.recent_of_customer(customer.id, RECENT_ORDERS)),
            notes=await uow.customers.notes(customer.id, RECENT_NOTES),
            other_names=[
                name
                for name in await uow.orders.recipient_names(customer.id)
                if name != customer.name
            ],
        )


async def blacklist_customer(
    db: Database, ctx: ServiceContext, user: TelegramUser, target: Target, reason: str | None
) -> RatedCustomer:
    require_admin(ctx, user)
    async with db.uow() as uow:
        customer = await customer_of(uow, target, for_update=True)
        await blacklist.blacklist(uow, customer, user, reason)
        await uow.session.flush()
        rated = await risk.rate(uow, ctx, customer)
        await uow.commit()
        return rated


async def unblock_customer(
    db: Database, ctx: ServiceContext, user: TelegramUser, target: Target, reason: str | None
) -> RatedCustomer:
    require_admin(ctx, user)
    async with db.uow() as uow:
        customer = await customer_of(uow, target, for_update=True)
        return await _unblock(uow, ctx, customer, user, reason)


async def unblock_by_id(
    db: Database, ctx: ServiceContext, user: TelegramUser, customer_id: int
) -> RatedCustomer:
    """The Unblock button of /blacklisted: the id is checked against the database."""
    require_admin(ctx, user)
    async with db.uow() as uow:
        customer = await uow.customers.get(customer_id, for_update=True)
        if customer is None:
            raise CustomerNotFound(target=str(customer_id))
        return await _unblock(uow, ctx, customer, user, None)


async def _unblock(
    uow: UnitOfWork,
    ctx: ServiceContext,
    customer: Customer,
    user: TelegramUser,
    reason: str | None,
) -> RatedCustomer:
    await blacklist.unblock(uow, ctx, customer, user, reason)
    await uow.session.flush()
    rated = await risk.rate(uow, ctx, customer)
    await uow.commit()
    return rated


async def add_note(
    db: Database, ctx: ServiceContext, user: TelegramUser, target: Target, text: str
) -> Customer:
    require_admin(ctx, user)
    async with db.uow() as uow:
        customer = await customer_of(uow, target)
        uow.customers.add_note(
            CustomerNote(
                customer_id=customer.id,
                text=text,
                actor_id=user.id,
                actor_name=user.full_name,
                created_at=uow.clock.now(),
            )
        )
        audit.log(uow, user, AuditAction.note, customer=customer, detail=text)
        await uow.commit()
        return customer


async def add_flag(
    db: Database, ctx: ServiceContext, user: TelegramUser, target: Target, flag: Flag
) -> tuple[RatedCustomer, bool]:
    """Flag the customer; False when the flag was already there (nothing changes)."""
    require_admin(ctx, user)
    async with db.uow() as uow:
        customer = await customer_of(uow, target, for_update=True)
        added = await uow.customers.flag(customer.id, flag.value) is None
        if added:
            uow.customers.add_flag(
                CustomerFlag(
                    customer_id=customer.id,
                    flag=flag.value,
                    actor_id=user.id,
                    actor_name=user.full_name,
                    created_at=uow.clock.now(),
                )
            )
            audit.log(uow, user, AuditAction.flag, customer=customer, detail=flag.value)
            await uow.session.flush()
        rated = await risk.rate(uow, ctx, customer)
        await uow.commit()
        return rated, added


async def find(
    db: Database, ctx: ServiceContext, user: TelegramUser, query: str
) -> list[RatedCustomer]:
    """Customers by a part of the phone (3+ digits) or of the name."""
    require_admin(ctx, user)
    digits = "".join(ch for ch in query if ch.isdigit())
    looks_like_phone = len(digits) >= 3 and not any(ch.isalpha() for ch in query)
    async with db.read() as uow:
        found = await uow.customers.search(
            digits=digits if looks_like_phone else None,
            name=None if looks_like_phone else query.strip(),
            limit=FOUND_AT_MOST,
        )
        return await risk.rate_all(uow, ctx, found)


async def blacklisted_page(
    db: Database, ctx: ServiceContext, user: TelegramUser, page: int
) -> BlacklistPage:
    require_admin(ctx, user)
    async with db.read() as uow:
        everyone = await risk.blacklisted(uow, ctx)
        pages = max(1, -(-len(everyone) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        start = page * PAGE_SIZE
        entries = await risk.rate_all(uow, ctx, everyone[start : start + PAGE_SIZE])
    return BlacklistPage(entries, page, pages, len(everyone))


async def audit_log(
    db: Database, ctx: ServiceContext, user: TelegramUser, target: Target | None
) -> tuple[Customer | None, Sequence[tuple[AuditEntry, Customer | None, str | None]]]:
    require_admin(ctx, user)
    async with db.read() as uow:
        customer = await customer_of(uow, target) if target is not None else None
        entries = await uow.audit.latest(
            AUDIT_LINES, customer_id=customer.id if customer is not None else None
        )
        return customer, entries
