"""The parcel back to the shop, tracked like a shipment by the waybill the customer gave.

Carrier events for that waybill come the same ways as for shipments: pushed by the shop to
``POST /api/v1/shipments/{waybill}/events`` (no shipment has that number, a return does) or
polled from Nova Poshta. A repeated or older event changes nothing. When the parcel arrives at
(or is picked up by) the shop, the return is ``received``: the managers are told under the card,
the customer hears it, the shop gets ``return.received``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.carriers.base import TrackingQuery
from bot.domain.happened import happened_at
from bot.domain.returns import ReturnStatus
from bot.domain.shipments import ShipmentStatus, moves_forward
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.services.returns.moves import advance
from bot.services.returns.notices import announce_move, refresh_card
from bot.services.returns.review import reply_to_card
from bot.services.shipments import ShipmentUpdate
from bot.texts.returns import desk as desk_texts
from storage.models import Return
from storage.uow import Database

AT_THE_SHOP = frozenset({ShipmentStatus.arrived, ShipmentStatus.received})
ON_THE_WAY = frozenset({ReturnStatus.approved, ReturnStatus.shipped})
MAX_TRACKED = 10_000


@dataclass(frozen=True)
class ParcelResult:
    return_: Return
    applied: bool  # False: a repeat or an older event, nothing changed


async def record_parcel_event(
    db: Database, ctx: ServiceContext, waybill: str, update: ShipmentUpdate
) -> ParcelResult | None:
    """Apply a carrier event to the return with this waybill; None when no return has it."""
    number = waybill.strip().replace(" ", "")
    async with db.uow() as uow:
        found = await uow.returns.by_waybill(number)
        if found is None:
            return None
        return_ = await uow.returns.get(found.id, for_update=True)
        if return_ is None:
            return None
        current = ShipmentStatus(return_.parcel_status) if return_.parcel_status else None
        if not moves_forward(current, update.status):
            return ParcelResult(return_, applied=False)
        return_.parcel_status = update.status.value
        return_.updated_at = uow.clock.now()
        if update.status in AT_THE_SHOP and ReturnStatus(return_.status) in ON_THE_WAY:
            # The history keeps the carrier's moment, bounded like an order's (bot/domain/happened).
            at = happened_at(
                update.occurred_at, learnt_at=uow.clock.now(), not_before=return_.created_at
            )
            previous = await advance(
                uow, ctx, return_, ReturnStatus.received, source=update.source, at=at
            )
            notifier = Notifier(uow, ctx)
            text = desk_texts.parcel_arrived(notifier.managers_translator, return_, update.point)
            reply_to_card(notifier, return_, text)
            await announce_move(uow, ctx, return_, previous)
        else:
            await refresh_card(uow, ctx, return_)
        await uow.commit()
        return ParcelResult(return_, applied=True)


async def parcels_to_track(db: Database, carrier: str) -> list[TrackingQuery]:
    """Return parcels of this carrier on their way to the shop, with the sender's phone."""
    async with db.read() as uow:
        returns = await uow.returns.with_status([ReturnStatus.shipped.value], MAX_TRACKED)
    return [
        TrackingQuery(tracking_number=one.waybill, phone=one.customer.phone)
        for one in returns
        if one.carrier == carrier and one.waybill
    ]
