"""The outbox worker's side of an outreach message: may it go now, and what the provider said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from bot.channels.base import SendResult
from bot.domain.incidents import IncidentKind
from bot.domain.orders import OrderStatus
from bot.domain.outreach import Channel, OutreachPurpose, OutreachState, SkipReason
from bot.domain.shipments import ShipmentStatus
from bot.services import incidents
from bot.services.context import ServiceContext
from bot.services.outreach.missed import on_missed
from storage.uow import Database


@dataclass(frozen=True)
class Go:
    phone: str
    preference: str


@dataclass(frozen=True)
class Hold:
    """Not now: quiet hours began while it waited."""

    why: str
    wait: timedelta


@dataclass(frozen=True)
class Drop:
    """Not any more: the order was answered, the customer opened the bot or said stop."""

    why: str


async def check(db: Database, ctx: ServiceContext, message_id: int) -> Go | Hold | Drop:
    """What may happen to the queued message now; a dropped one is recorded as such."""
    async with db.uow() as uow:
        message = await uow.outreach.get(message_id, for_update=True)
        if message is None or message.state != OutreachState.queued:
            return Drop("already handled")
        now = uow.clock.now()
        release = ctx.quiet_hours.release_at(now, ctx.timezone)
        if release is not None:
            return Hold("quiet hours", release - now)
        order = await uow.orders.get(message.order_id)
        customer = order.customer if order is not None else None
        why: str | None = None
        if order is None or customer is None or customer.erased_at is not None:
            why = "the customer is gone"
        elif customer.outreach_stopped_at is not None:
            why, message.skip_reason = "the customer said stop", SkipReason.stopped.value
        elif customer.reachable:
            why = "the customer opened the bot"
        elif message.purpose == OutreachPurpose.confirm and order.status != OrderStatus.new:
            why = "the order was answered"
        elif message.purpose != OutreachPurpose.confirm:
            shipment = await uow.shipments.of_order(order.id)
            if shipment is None or shipment.status != ShipmentStatus.arrived:
                why = "the parcel is no longer waiting"
        if why is not None:
            message.state, message.cost, message.detail = (
                OutreachState.skipped.value,
                Decimal(0),
                why,
            )
            message.final_at = now
            message.skip_reason = message.skip_reason or SkipReason.not_needed.value
            await uow.commit()
            return Drop(why)
        assert customer is not None
        return Go(phone=customer.phone, preference=message.preference)


async def accepted(db: Database, ctx: ServiceContext, message_id: int, result: SendResult) -> None:
    """The provider took it: its id is kept for the delivery reports."""
    async with db.uow() as uow:
        message = await uow.outreach.get(message_id, for_update=True)
        if message is not None:
            message.state = OutreachState.sent.value
            message.provider_message_id = result.ids[0] if result.ids else None
            message.sent_at = uow.clock.now()
            if len(result.accepted) == 1:  # one channel only: the price is known now
                (channel,) = result.accepted
                message.channel = channel.value
                if ctx.outreach is not None:
                    message.cost = ctx.outreach.prices.of(Channel(channel), message.parts)
        if await incidents.is_open(uow, IncidentKind.outreach_provider):
            await incidents.clear(uow, ctx, IncidentKind.outreach_provider)
        await uow.commit()


async def refused(
    db: Database, ctx: ServiceContext, message_id: int, state: OutreachState, detail: str
) -> None:
    """The provider will not take this message (this phone, this text): it cost nothing, and a
    manager takes over."""
    async with db.uow() as uow:
        message = await uow.outreach.get(message_id, for_update=True)
        if message is None or message.state != OutreachState.queued:
            return
        message.state, message.cost, message.detail = state.value, Decimal(0), detail[:500]
        message.final_at = uow.clock.now()
        order = await uow.orders.get(message.order_id)
        if order is not None:
            await on_missed(uow, ctx, order, message)
        await uow.commit()
