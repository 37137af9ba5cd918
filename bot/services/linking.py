"""Linking a Telegram chat to a customer: by the deep link token or by a shared contact."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiogram.types import ReplyKeyboardRemove
from sqlalchemy.exc import IntegrityError

from bot.domain.errors import N_, DomainError
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import EventSource, OrderStatus
from bot.domain.phones import InvalidPhone, normalise_phone
from bot.domain.risk_decisions import RiskDecision
from bot.services.context import ServiceContext
from bot.services.history import record
from bot.services.notifier import Notifier
from bot.services.people import TelegramUser
from bot.texts import customers as texts
from storage.models import Customer
from storage.uow import Database, UnitOfWork

LINK_ATTEMPTS = 3


class LinkInvalid(DomainError):
    message_key = N_(
        "This link is no longer valid. Share your phone number instead, and we will find your orders."
    )
    code = "link_invalid"


class LinkedElsewhere(DomainError):
    message_key = N_(
        "This order is already linked to another Telegram account. "
        "If it is yours, share your phone number to move it here."
    )
    code = "linked_elsewhere"


class NotYourContact(DomainError):
    message_key = N_("Please share your own contact with the button below, not someone else's.")
    code = "not_your_contact"


class ContactPhoneInvalid(DomainError):
    message_key = N_(
        "This phone number does not look valid. Please share your own contact with the button below."
    )
    code = "contact_phone_invalid"


@dataclass(frozen=True)
class LinkResult:
    customer_name: str
    orders_waiting: int


async def link_by_token(
    db: Database, ctx: ServiceContext, token: str, user: TelegramUser
) -> LinkResult:
    async with db.uow() as uow:
        order = await uow.orders.by_link_token(token)
        if order is None:
            raise LinkInvalid()
        customer = order.customer
        if customer.telegram_id is not None and customer.telegram_id != user.id:
            raise LinkedElsewhere()
        result = await _link(uow, ctx, [customer], user)
        await uow.commit()
        return result


async def link_by_contact(
    db: Database, ctx: ServiceContext, phone: str, contact_user_id: int | None, user: TelegramUser
) -> LinkResult:
    """A contact proves the phone only when it is the sender's own card (Telegram sets user_id)."""
    if contact_user_id != user.id:
        raise NotYourContact()
    try:
        e164 = normalise_phone(phone)
    except InvalidPhone:
        raise ContactPhoneInvalid() from None
    for _ in range(LINK_ATTEMPTS):
        async with db.uow() as uow:
            customer = await uow.customers.by_phone(e164)
            try:
                if customer is None:
                    # No orders yet: remember them, so the next order's card comes straight here.
                    customer = await uow.customers.add(
                        phone=e164, name=user.full_name, now=uow.clock.now()
                    )
                result = await _link(uow, ctx, [customer], user)
                await uow.commit()
            except IntegrityError:
                # Their order came in just now and brought the customer (the shop's API, a
                # platform's webhook or catch-up): start over and link that one.
                await uow.rollback()
                continue
            return result
    raise RuntimeError(f"linking {user.id} kept conflicting with concurrent writes")


async def _link(
    uow: UnitOfWork, ctx: ServiceContext, customers: Sequence[Customer], user: TelegramUser
) -> LinkResult:
    """Link the chat, greet (before the cards, same transaction) and send every waiting card."""
    now = uow.clock.now()
    waiting = [
        order
        for customer in customers
        # Locked: a change committed meanwhile (the pickup point check) is on the card it sends.
        for order in await uow.orders.of_customer(
            customer.id, status=OrderStatus.new.value, for_update=True
        )
    ]
    for customer in customers:
        customer.telegram_id = user.id
        customer.telegram_username = user.username
        customer.telegram_language = user.language_code
        customer.unreachable_at = None
        customer.updated_at = now
    notifier = Notifier(uow, ctx)
    primary = customers[-1]
    t = await notifier.translator_for(primary, waiting[-1] if waiting else None)
    await notifier.to_customer(
        primary, texts.linked(primary.name, len(waiting), t), markup=ReplyKeyboardRemove()
    )
    for order in waiting:
        if order.card_queued_at is None:
            record(uow, order, OrderEventKind.linked, source=EventSource.customer, actor_id=user.id)
        await notifier.order_card(order)
    # An order held for prepayment was announced to nobody: the card tells them now.
    for customer in customers:
        for order in await uow.orders.of_customer(customer.id, status=OrderStatus.on_hold.value):
            if order.risk_decision == RiskDecision.prepay:
                await notifier.order_card(order)
    return LinkResult(customer_name=primary.name, orders_waiting=len(waiting))


async def resume(db: Database, ctx: ServiceContext, user: TelegramUser) -> LinkResult | None:
    """A linked person pressed /start again (perhaps after unblocking the bot): reachable again,
    and every card that never reached them is sent now. ``None`` if they are not linked."""
    async with db.uow() as uow:
        customers = await uow.customers.by_telegram_id(user.id)
        if not customers:
            return None
        result = await _link(uow, ctx, customers, user)
        await uow.commit()
        return result
