"""What a carrier poller needs: which parcels to ask about, and where its answers go."""

from __future__ import annotations

import logging

from bot.carriers.base import CarrierUpdate, TrackingQuery
from bot.domain.errors import NotFound
from bot.domain.orders import EventSource
from bot.services.context import ServiceContext
from bot.services.returns import tracking as return_tracking
from bot.services.shipments import ShipmentUpdate, record_shipment_event
from storage.uow import Database

log = logging.getLogger(__name__)
MAX_TRACKED = 10_000


async def parcels_to_track(db: Database, carrier: str) -> list[TrackingQuery]:
    async with db.read() as uow:
        rows = await uow.shipments.trackable(carrier, MAX_TRACKED)
    parcels = [TrackingQuery(tracking_number=number, phone=phone) for number, phone in rows]
    return parcels + await return_tracking.parcels_to_track(db, carrier)


async def apply_carrier_update(db: Database, ctx: ServiceContext, update: CarrierUpdate) -> bool:
    """Feed one carrier answer into the parcel's history; unknown or unmapped answers are skipped."""
    if update.not_found or update.status is None:
        log.info(
            "carrier says nothing usable about %s (code %s)",
            update.tracking_number,
            update.carrier_code,
        )
        return False
    event = ShipmentUpdate(
        status=update.status,
        occurred_at=update.occurred_at,
        point=update.point,
        paid_storage_from=update.paid_storage_from,
        expected_delivery=update.expected_delivery,
        cod_amount=update.cod_amount,
        can_extend_storage=update.can_extend_storage,
        carrier_code=update.carrier_code,
        source=EventSource.system,
    )
    try:
        result = await record_shipment_event(db, ctx, update.tracking_number, event)
    except NotFound:
        # Not a parcel to a customer: perhaps a customer's parcel back to the shop.
        returned = await return_tracking.record_parcel_event(db, ctx, update.tracking_number, event)
        if returned is None:
            log.warning("carrier answered about an unknown waybill %s", update.tracking_number)
            return False
        return returned.applied
    return result.applied
