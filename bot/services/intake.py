"""A new order arrives from the shop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from bot.domain.links import new_link_token
from bot.domain.new_order import NewOrder
from bot.domain.order_changes import OrderExistsWithDifferentData, changed_fields
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import EventSource, OrderStatus
from bot.domain.phones import phone_hash
from bot.domain.pickup_points import PointCheck
from bot.domain.risk import Assessment
from bot.services.context import ServiceContext
from bot.services.history import record
from bot.services.risk import rate
from bot.services.risk_alerts import screen_new_order
from storage.models import Customer, Order, OrderItem
from storage.uow import Database, UnitOfWork

INTAKE_ATTEMPTS = 3


@dataclass(frozen=True)
class IntakeResult:
    order: Order
    created: bool
    risk: Assessment  # the customer's rating as the order came in (or as it stands, on a repeat)


async def intake_order(db: Database, ctx: ServiceContext, data: NewOrder) -> IntakeResult:
    """Store the order once per ``external_id`` and ask its customer to confirm it.

    The same order sent again is answered with the stored one; a different one under the same
    ``external_id`` raises :class:`OrderExistsWithDifferentData` and changes nothing.

    Two requests racing on the same ``external_id`` (or on the same new customer's phone) both
    succeed: the loser of a unique-key conflict starts over and finds what the winner stored.
    """
    for _ in range(INTAKE_ATTEMPTS):
        async with db.uow() as uow:
            existing = await uow.orders.by_external_id(data.external_id)
            if existing is not None:
                changed = _changes(data, existing)
                if changed:
                    raise OrderExistsWithDifferentData(data.external_id, changed)
                rated = await rate(uow, ctx, existing.customer)
                return IntakeResult(existing, created=False, risk=rated.assessment)
            try:
                order, assessment = await create_order(uow, ctx, data)
                await uow.commit()
            except IntegrityError:
                await uow.rollback()
                continue
            return IntakeResult(order, created=True, risk=assessment)
    raise RuntimeError(f"order {data.external_id!r} kept conflicting with concurrent writes")


async def _returning_erased(
    uow: UnitOfWork, salt: str, phone: str, now: datetime
) -> Customer | None:
    """ERASED_PHONE_HASH_SALT: an erased customer ordering again is that customer again, with
    their (anonymised) history, so the rating recognises a returning refuser."""
    customer = await uow.customers.erased_with_phone_hash(phone_hash(phone, salt))
    if customer is not None:
        customer.phone = phone
        customer.phone_hash = None
        customer.erased_at = None
        customer.updated_at = now
    return customer


async def create_order(
    uow: UnitOfWork, ctx: ServiceContext, data: NewOrder
) -> tuple[Order, Assessment]:
    """Store a new order (its ``external_id`` free) and screen it, in the caller's transaction."""
    now = uow.clock.now()
    customer = await uow.customers.by_phone(data.phone)
    if customer is None and ctx.erased_phone_salt:
        customer = await _returning_erased(uow, ctx.erased_phone_salt, data.phone, now)
    new_customer = customer is None
    if customer is None:
        customer = await uow.customers.add(phone=data.phone, name=data.customer_name, now=now)
    else:
        # The customer is called by the name on their latest order (README, "Names");
        # every order keeps its own recipient name.
        customer.name = data.customer_name
        customer.updated_at = now
    if data.telegram_id is not None and customer.telegram_id is None:
        customer.telegram_id = data.telegram_id

    order = Order(
        external_id=data.external_id,
        customer=customer,
        recipient_name=data.customer_name,
        status=OrderStatus.new.value,
        total=data.total,
        currency=data.currency,
        payment=data.payment.value,
        carrier=data.carrier.value,
        city=data.city,
        point=data.point,
        address=data.address,
        weight=data.weight,
        # Checked after this transaction (bot.services.pickup_points.check): a remote call.
        point_check=PointCheck.pending.value
        if data.point and data.carrier.value in ctx.point_carriers
        else None,
        language=data.language.value if data.language else None,
        link_token=new_link_token(),
        shop_created_at=data.created_at,
        created_at=now,
        updated_at=now,
        items=[
            OrderItem(
                position=index,
                sku=item.sku,
                name=item.name,
                quantity=item.quantity,
                price=item.price,
                returnable=item.returnable,
            )
            for index, item in enumerate(data.items)
        ],
    )
    uow.orders.add(order)
    await uow.orders.flush()
    record(uow, order, OrderEventKind.created, source=EventSource.shop, to_status=order.status)
    rated = await screen_new_order(uow, ctx, order, new_customer=new_customer)
    return order, rated.assessment


def _changes(data: NewOrder, order: Order) -> tuple[str, ...]:
    """Where ``data`` differs from the stored ``order``, named as the API's fields.

    ``customer.telegram_id`` is not compared: it belongs to the customer, whom the bot may have
    linked to a chat since.
    """
    sent = {
        "customer.phone": data.phone,
        "customer.name": data.customer_name,
        "total": data.total,
        "currency": data.currency,
        "payment": data.payment.value,
        "delivery.carrier": data.carrier.value,
        "delivery.city": data.city,
        "delivery.point": data.point,
        "delivery.address": data.address,
        "delivery.weight": data.weight,
        "language": data.language.value if data.language else None,
        "created_at": data.created_at,
    }
    stored = {
        "customer.phone": order.customer.phone,
        "customer.name": order.recipient_name,
        "total": order.total,
        "currency": order.currency,
        "payment": order.payment,
        "delivery.carrier": order.carrier,
        "delivery.city": order.city,
        # The customer may have chosen another point since: the shop's is compared.
        "delivery.point": order.shop_point if order.point_changed_at else order.point,
        "delivery.address": order.address,
        "delivery.weight": order.weight,
        "language": order.language,
        "created_at": order.shop_created_at,
    }
    return changed_fields(
        sent,
        stored,
        [
            _item(item.sku, item.name, item.quantity, item.price, item.returnable)
            for item in data.items
        ],
        [
            _item(item.sku, item.name, item.quantity, item.price, item.returnable)
            for item in order.items
        ],
    )


def _item(
    sku: str | None, name: str, quantity: int, price: Decimal, returnable: bool
) -> dict[str, object]:
    return {
        "sku": sku,
        "name": name,
        "quantity": quantity,
        "price": price,
        "returnable": returnable,
    }
