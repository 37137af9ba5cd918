"""STOP: a customer who asks for no more Viber/SMS gets none, until an admin lifts it.

Said on the web page ("Don't text me"), in the bot (STOP, /stop), or by an admin for them
(/nosms after a phone call); lifted only by an admin (/sms), so a forwarded link cannot undo it.
"""

from __future__ import annotations

from bot.domain.audit import AuditAction
from bot.domain.targets import Target
from bot.services import audit
from bot.services.admin import customer_of
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.people import TelegramUser
from bot.services.web_links import PageOrder
from storage.models import Customer, Order
from storage.uow import Database, UnitOfWork

BY_PAGE = "web"
BY_BOT = "bot"


def _stop(uow: UnitOfWork, customer: Customer, by: str) -> bool:
    if customer.outreach_stopped_at is not None:
        return False
    customer.outreach_stopped_at = uow.clock.now()
    customer.outreach_stopped_by = by
    customer.updated_at = uow.clock.now()
    return True


async def stop_from_page(db: Database, page: PageOrder) -> Order:
    """ "Don't text me" on the order's page: the order's customer, whoever opened the link."""
    async with db.uow() as uow:
        customer = await uow.customers.get(page.order.customer_id, for_update=True)
        if customer is not None:
            _stop(uow, customer, BY_PAGE)
        await uow.commit()
        order = await uow.orders.get(page.order.id)
        assert order is not None
        return order


async def stop_from_chat(db: Database, telegram_id: int) -> int:
    """STOP in the bot: every customer record of this chat. Returns how many were stopped now."""
    async with db.uow() as uow:
        stopped = sum(
            _stop(uow, customer, BY_BOT)
            for customer in await uow.customers.by_telegram_id(telegram_id)
        )
        await uow.commit()
        return stopped


async def set_by_admin(
    db: Database, ctx: ServiceContext, admin: TelegramUser, target: Target, *, allowed: bool
) -> Customer:
    """/sms (allowed) and /nosms; audited."""
    require_admin(ctx, admin)
    async with db.uow() as uow:
        customer = await customer_of(uow, target, for_update=True)
        if allowed and customer.outreach_stopped_at is not None:
            customer.outreach_stopped_at, customer.outreach_stopped_by = None, None
            customer.updated_at = uow.clock.now()
            audit.log(uow, admin, AuditAction.texting_on, customer=customer)
        elif not allowed and _stop(uow, customer, f"admin:{admin.id}"):
            audit.log(uow, admin, AuditAction.texting_off, customer=customer)
        await uow.commit()
        return customer
