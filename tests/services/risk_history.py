"""Past orders for rating tests: each one walked through the statuses the way the shop moves it."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.orders import OrderStatus, Payment, path_to
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.services.shop_status import set_status_by_shop
from storage.models import Feedback
from storage.uow import Database
from tests.factories import new_order


async def past_order(
    db: Database,
    ctx: ServiceContext,
    external_id: str,
    outcome: OrderStatus,
    *,
    phone: str = "+380501234567",
    name: str = "Олена Коваль",
    refusal_reason: str | None = None,
    via: tuple[OrderStatus, ...] = (),
) -> int:
    """An order that ended in ``outcome``; ``via`` forces steps on the way (e.g. confirmed).

    Seeded orders are prepaid: a prepaid order is never held or cancelled by the rating, so the
    history builds up the same whatever the policy under test.
    """
    data = new_order(external_id, phone=phone, name=name)
    order = (await intake_order(db, ctx, replace(data, payment=Payment.prepaid))).order
    current = OrderStatus(order.status)
    for stop in (*via, outcome):
        steps = path_to(current, stop)
        assert steps is not None, f"{current} → {stop}"
        for step in steps:
            await set_status_by_shop(db, ctx, external_id, step, None)
        current = stop
    if refusal_reason is not None:
        async with db.uow() as uow:
            uow.feedback.add(
                Feedback(
                    order_id=order.id,
                    customer_id=order.customer_id,
                    kind="refusal",
                    value=refusal_reason,
                    comment=None,
                    created_at=uow.clock.now(),
                )
            )
            await uow.commit()
    return order.id
