"""Small reads the API needs beside a service call, each in its own unit of work."""

from __future__ import annotations

from storage.models import Shipment
from storage.uow import Database


async def order_shipment(db: Database, order_id: int) -> Shipment | None:
    """The order's parcel, or ``None`` until the shop attaches a waybill."""
    async with db.uow() as uow:
        return await uow.shipments.of_order(order_id)
