"""Erasing a customer's personal data on request: ``vykup forget``, ``/forget`` and
``DELETE /api/v1/customers/{phone}``.

The customer's name, phone, Telegram link, IBANs and holder names, their words (comments,
reasons in their own words, exchange wishes), managers' notes about them, conversation state,
chat preferences, messages to or about them and their return photos go, in one transaction.
Their orders and outcomes stay, anonymised (a placeholder phone unique to the customer, the name
"—"), so that statistics stay true. Orders still open are anonymised too: nothing more is said
about them (their timers stop), and the shop hears ``customer.erased`` for every order, in each
order's webhook lane, so it can erase the customer on its side as well.

Photo files and conversation state in Redis are deleted after the commit: a transaction that
fails keeps them with the data.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from redis.exceptions import RedisError

from bot.domain.audit import AuditAction
from bot.domain.errors import N_, DomainError
from bot.domain.orders import FINAL, OrderStatus
from bot.domain.phones import InvalidPhone, normalise_phone, phone_hash
from bot.domain.returns import return_number
from bot.domain.shop_events import ShopEvent
from bot.services import audit
from bot.services.admin import CustomerNotFound
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.notifier import Notifier
from bot.services.people import TelegramUser
from bot.views.erasure import Erased, ErasureCandidate
from storage.models import Customer
from storage.redis_fsm import forget_conversations
from storage.repositories.erasure import ErasureRepository
from storage.uow import Database, UnitOfWork

log = logging.getLogger(__name__)

ERASED_NAME = "—"
# Who erased, when it was not a person in Telegram (the audit log's actor).
COMMAND_LINE = TelegramUser(id=0, full_name="vykup forget")
SHOP_API = TelegramUser(id=0, full_name="shop API")


class NotAPhoneNumber(DomainError):
    message_key = N_("{target} is not a valid phone number.")
    code = "invalid_phone"


class NoSuchCustomer(DomainError):
    message_key = N_("No customer has the phone number {target}.")
    code = "customer_not_found"


class AlreadyErased(DomainError):
    message_key = N_("This customer's personal data is already erased.")
    code = "already_erased"


def erased_phone(customer_id: int) -> str:
    """Unique per erased customer, never a valid phone (so no lookup by phone finds it)."""
    return f"erased-{customer_id}"


def _phone(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except InvalidPhone:
        raise NotAPhoneNumber(target=raw.strip()) from None


async def _by_phone(uow: UnitOfWork, raw: str) -> Customer:
    customer = await uow.customers.by_phone(_phone(raw))
    if customer is None:
        raise NoSuchCustomer(target=raw.strip())
    return customer


async def candidate(
    db: Database, ctx: ServiceContext, user: TelegramUser, phone: str
) -> ErasureCandidate:
    """``/forget <phone>``: whom the confirmation button would erase (admins only)."""
    require_admin(ctx, user)
    async with db.read() as uow:
        customer = await _by_phone(uow, phone)
        orders = list(await uow.orders.recent_of_customer(customer.id, 10_000))
        return ErasureCandidate(
            customer_id=customer.id,
            name=customer.name,
            orders=len(orders),
            open_orders=sum(1 for order in orders if OrderStatus(order.status) not in FINAL),
        )


async def forget_confirmed(
    db: Database, ctx: ServiceContext, user: TelegramUser, customer_id: int
) -> Erased:
    """The confirmation button: admins only, checked again when pressed."""
    require_admin(ctx, user)
    async with db.uow() as uow:
        customer = await uow.customers.get(customer_id, for_update=True)
        if customer is None:  # a forged button: no such customer
            raise CustomerNotFound(target=f"#{customer_id}")
        erased = await _erase(uow, ctx, customer, user)
        await uow.commit()
    await _erase_outside_the_database(ctx, erased)
    return erased


async def forget_phone(
    db: Database, ctx: ServiceContext, phone: str, actor: TelegramUser = COMMAND_LINE
) -> Erased:
    """``vykup forget`` and the shop API (whose callers are trusted by who they are)."""
    async with db.uow() as uow:
        found = await _by_phone(uow, phone)
        customer = await uow.customers.get(found.id, for_update=True)
        assert customer is not None
        erased = await _erase(uow, ctx, customer, actor)
        await uow.commit()
    await _erase_outside_the_database(ctx, erased)
    return erased


async def _erase(
    uow: UnitOfWork, ctx: ServiceContext, customer: Customer, actor: TelegramUser
) -> Erased:
    if customer.erased_at is not None:
        raise AlreadyErased()
    repo = ErasureRepository(uow.session)
    now = uow.clock.now()
    telegram_id = customer.telegram_id
    order_ids = await repo.order_ids(customer.id)
    return_ids = await repo.return_ids(customer.id)
    orders = [order for order_id in order_ids if (order := await uow.orders.get(order_id))]
    open_orders = sum(1 for order in orders if OrderStatus(order.status) not in FINAL)

    await repo.forget_messages(customer.id, order_ids, return_ids, telegram_id)
    await repo.anonymise_orders(customer.id, order_ids, placeholder=ERASED_NAME, now=now)
    await repo.anonymise_returns(return_ids, telegram_id)
    await repo.forget_notes_and_audit(customer.id, order_ids)
    if telegram_id is not None:
        await repo.forget_actor(order_ids, telegram_id)
        await repo.forget_chat(telegram_id)
    if ctx.erased_phone_salt:
        customer.phone_hash = phone_hash(customer.phone, ctx.erased_phone_salt)
    customer.phone = erased_phone(customer.id)
    customer.name = ERASED_NAME
    customer.telegram_id = None
    customer.telegram_username = None
    customer.telegram_language = None
    customer.unreachable_at = None
    customer.blacklist_reason = None
    customer.erased_at = now
    customer.updated_at = now
    await uow.session.flush()

    notifier = Notifier(uow, ctx)
    for order in orders:
        await uow.session.refresh(order)
        notifier.shop_event(order, ShopEvent.customer_erased)
    audit.log(uow, actor, AuditAction.forget, customer=customer)
    log.info("customer %s erased by %s", customer.id, actor.id)
    return Erased(
        customer_id=customer.id,
        orders=len(orders),
        open_orders=open_orders,
        returns=len(return_ids),
        photo_folders=_photo_folders(ctx, return_ids),
        telegram_id=telegram_id,
    )


def _photo_folders(ctx: ServiceContext, return_ids: list[int]) -> tuple[Path, ...]:
    if ctx.return_photos_dir is None:
        return ()
    return tuple(ctx.return_photos_dir / return_number(one) for one in return_ids)


async def _erase_outside_the_database(ctx: ServiceContext, erased: Erased) -> None:
    """After the commit: a transaction that fails keeps the files and state with the data."""
    _delete_photos(erased)
    if ctx.redis_url and erased.telegram_id is not None:
        try:
            await forget_conversations(ctx.redis_url, erased.telegram_id)
        except RedisError as error:  # erased in the database; Redis forgets it within a month
            log.error("could not delete customer %s's conversation: %s", erased.customer_id, error)


def _delete_photos(erased: Erased) -> None:
    for folder in erased.photo_folders:
        try:
            shutil.rmtree(folder)
        except FileNotFoundError:
            continue
        except OSError as error:  # the data is erased; a file left behind must be seen
            log.error("could not delete the photos in %s: %s", folder, error)
