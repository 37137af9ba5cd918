"""An outreach timer is due: send the message now, later (quiet hours, the daily limit), or not
at all — and when not at all, make sure a manager hears instead.

Everything a message needs is decided here, in the timer's transaction: the texts, the links,
the most it may cost. The outbox worker only hands it to the provider
(``bot.delivery.outreach_calls``), so the message and the state that caused it commit together.
"""

from __future__ import annotations

import secrets
import string
from datetime import timedelta

from bot.domain.categories import categorize
from bot.domain.incidents import IncidentKind
from bot.domain.orders import OrderStatus
from bot.domain.outreach import (
    DAY,
    OutreachPurpose,
    OutreachState,
    SkipReason,
    budget_allows,
    month_key,
    month_start,
    next_room,
)
from bot.domain.shipments import ShipmentStatus
from bot.domain.sms_parts import sms_parts
from bot.services import incidents
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.services.outreach.missed import on_missed
from bot.texts import outreach as texts
from bot.texts import tracking
from storage.models import Customer, Order, OutreachMessage
from storage.repositories.outbox import OUTREACH
from storage.uow import UnitOfWork

PROVIDER = "turbosms"
SEND = "send"
CODE_ALPHABET = string.ascii_letters + string.digits  # 62 letters: 10 of them are 59 bits


def new_short_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(texts.SHORT_CODE_LENGTH))


async def fire(uow: UnitOfWork, ctx: ServiceContext, kind: str, order_id: int) -> None:
    rules = ctx.outreach
    try:
        purpose = OutreachPurpose(kind.partition(":")[2])
    except ValueError:
        return
    order = await uow.orders.get(order_id)
    if rules is None or order is None:
        return
    # Locked: two orders of one customer due together must not both pass the daily limit.
    customer = await uow.customers.get(order.customer_id, for_update=True)
    if customer is None or customer.reachable or customer.erased_at is not None:
        return  # the chat works now: Telegram carries the news
    if not await _still_news(uow, order, purpose):
        return
    if any(message.purpose == purpose for message in await uow.outreach.of_order(order.id)):
        return  # once per order and purpose
    now = uow.clock.now()
    release = ctx.quiet_hours.release_at(now, ctx.timezone)
    if release is not None:  # an SMS cannot be silent: it waits for the morning
        await uow.timers.schedule(kind=kind, order_id=order.id, due_at=release, now=now)
        return
    if customer.outreach_stopped_at is not None:
        await _skip(uow, ctx, order, customer, purpose, SkipReason.stopped)
        return
    if not ctx.public_url:
        await _skip(uow, ctx, order, customer, purpose, SkipReason.no_link)
        return
    room = next_room(await uow.outreach.sent_times(customer.id, now - DAY), now, rules.max_per_day)
    if room is not None:
        if purpose is OutreachPurpose.confirm:
            # Today's messages already carry this customer's other links; a manager calls.
            await _skip(uow, ctx, order, customer, purpose, SkipReason.daily_limit)
        else:  # tracking news keeps: it goes when the day has room (if it is still news then)
            await uow.timers.schedule(
                kind=kind, order_id=order.id, due_at=room + timedelta(seconds=1), now=now
            )
        return
    await _queue(uow, ctx, order, customer, purpose)


async def _still_news(uow: UnitOfWork, order: Order, purpose: OutreachPurpose) -> bool:
    if purpose is OutreachPurpose.confirm:
        return order.status == OrderStatus.new
    shipment = await uow.shipments.of_order(order.id)
    return shipment is not None and shipment.status == ShipmentStatus.arrived


async def _queue(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: Order,
    customer: Customer,
    purpose: OutreachPurpose,
) -> None:
    rules = ctx.outreach
    assert rules is not None and ctx.public_url is not None
    now = uow.clock.now()
    if order.short_code is None:
        order.short_code, order.short_code_at = new_short_code(), now
    t = await Notifier(uow, ctx).translator_for(customer, order)
    language = t.language
    values = {
        "shop": rules.shop_name,
        "number": order.external_id,
        "customer_name": order.recipient_name,
        "total": t.money(order.total, order.currency),
        **texts.short_links(ctx.public_url, order.short_code),
    }
    if purpose is not OutreachPurpose.confirm:
        shipment = await uow.shipments.of_order(order.id)
        assert shipment is not None  # checked by _still_news
        values.update(tracking.values(order, shipment, t, now))
    category = categorize(await uow.history.of_customer(customer.id))
    composed = texts.texts(ctx.templates, purpose, language, category, values, t)
    parts = sms_parts(composed.sms)
    cost = rules.prices.worst(rules.preference, parts)
    month = month_start(now, ctx.timezone)
    if not budget_allows(await uow.outreach.spent(month), cost, rules.monthly_budget):
        await _skip(uow, ctx, order, customer, purpose, SkipReason.budget)
        await incidents.report(uow, ctx, IncidentKind.outreach_budget, month_key(now, ctx.timezone))
        return
    message = uow.outreach.add(
        OutreachMessage(
            order_id=order.id,
            customer_id=customer.id,
            purpose=purpose.value,
            preference=rules.preference.value,
            state=OutreachState.queued.value,
            provider=PROVIDER,
            parts=parts,
            cost=cost,
            created_at=now,
        )
    )
    await uow.orders.flush()  # the message's id goes into the outbox row
    uow.outbox.add(
        channel=OUTREACH,
        method=SEND,
        payload={
            "outreach": message.id,
            "sms_text": composed.sms,
            "viber_text": composed.viber,
            "button": composed.button,
            "button_url": values["page_link"] if composed.button else None,
        },
        now=now,
        order_id=order.id,
        customer_id=customer.id,
    )
    if await incidents.is_open(uow, IncidentKind.outreach_budget):
        await incidents.clear(uow, ctx, IncidentKind.outreach_budget)


async def _skip(
    uow: UnitOfWork,
    ctx: ServiceContext,
    order: Order,
    customer: Customer,
    purpose: OutreachPurpose,
    reason: SkipReason,
) -> None:
    """Recorded, so the managers' alert and /stats say why; then a manager takes over."""
    rules = ctx.outreach
    message = uow.outreach.add(
        OutreachMessage(
            order_id=order.id,
            customer_id=customer.id,
            purpose=purpose.value,
            preference=rules.preference.value if rules else "",
            state=OutreachState.skipped.value,
            skip_reason=reason.value,
            provider=PROVIDER,
            parts=0,
            cost=0,
            created_at=uow.clock.now(),
            final_at=uow.clock.now(),
        )
    )
    await on_missed(uow, ctx, order, message)
