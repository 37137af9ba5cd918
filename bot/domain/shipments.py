"""Shipment statuses as the bot understands them, whatever the carrier calls them."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from bot.domain.orders import OrderStatus


class ShipmentStatus(StrEnum):
    created = "created"  # waybill exists, the parcel is not handed over yet
    in_transit = "in_transit"
    arrived = "arrived"  # waits at a branch or a parcel locker
    delivery_failed = "delivery_failed"  # a courier could not deliver
    received = "received"
    refused = "refused"
    returning = "returning"
    returned = "returned"
    storage_ended = "storage_ended"  # free storage is over; the parcel is about to go back


# How far along the parcel is. An event whose rank is below the current one is old news and never
# moves the shipment back; the same status again is a duplicate.
RANK: Final[Mapping[ShipmentStatus, int]] = {
    ShipmentStatus.created: 0,
    ShipmentStatus.in_transit: 1,
    ShipmentStatus.delivery_failed: 2,
    ShipmentStatus.arrived: 3,
    ShipmentStatus.storage_ended: 4,
    ShipmentStatus.refused: 5,
    ShipmentStatus.received: 6,
    ShipmentStatus.returning: 6,
    ShipmentStatus.returned: 7,
}

FINAL: Final[frozenset[ShipmentStatus]] = frozenset(
    {ShipmentStatus.received, ShipmentStatus.returned}
)

# The order status a shipment status implies (None: the order stays where it is).
ORDER_STATUS: Final[Mapping[ShipmentStatus, OrderStatus | None]] = {
    ShipmentStatus.created: None,
    ShipmentStatus.in_transit: OrderStatus.shipped,
    ShipmentStatus.delivery_failed: None,
    ShipmentStatus.arrived: OrderStatus.arrived,
    ShipmentStatus.storage_ended: None,
    ShipmentStatus.refused: OrderStatus.refused,
    ShipmentStatus.received: OrderStatus.received,
    ShipmentStatus.returning: OrderStatus.returning,
    ShipmentStatus.returned: OrderStatus.returned,
}


def moves_forward(current: ShipmentStatus | None, incoming: ShipmentStatus) -> bool:
    """True if ``incoming`` is news: not a repeat, not older than ``current``, and ``current``
    is not final (a received or returned parcel never changes again)."""
    if current is None:
        return True
    if current in FINAL or incoming == current:
        return False
    return RANK[incoming] >= RANK[current]
