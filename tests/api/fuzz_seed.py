"""What the fuzzer finds in the database: orders, parcels and returns in most of their statuses.

Generated path parameters are random strings that name nothing; the fuzz test swaps in these
stored names now and then, so that the code behind "found" is reached too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from bot.domain.orders import Carrier, OrderStatus
from bot.domain.returns import ReturnStatus, return_number
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.services.returns.shop import ShopMove, move_by_shop
from bot.services.shipments import attach_shipment
from bot.services.shop_status import set_status_by_shop
from storage.uow import Database
from tests.factories import new_order
from tests.services.returns.helpers import submitted_return

DELIVERY_WAYBILL: Final = "20450000000001"
RETURN_WAYBILL: Final = "59000123456789"
# Orders with returns (received), then a new, a confirmed and a shipped one.
RECEIVED_ORDERS: Final = ("A-1001", "A-1002", "A-1003")
OTHER_ORDERS: Final = ("A-2001", "A-2002", "A-2003")
# The database starts empty, so the returns are numbered from 1: requested, approved, shipped.
RETURN_NUMBERS: Final = tuple(return_number(number) for number in (1, 2, 3))

SEEDED_NAMES: Final[Mapping[str, tuple[str, ...]]] = {
    "external_id": (*RECEIVED_ORDERS, *OTHER_ORDERS),
    "tracking_number": (DELIVERY_WAYBILL, RETURN_WAYBILL),
    "number": RETURN_NUMBERS,
}


async def seed(db: Database, ctx: ServiceContext) -> None:
    """Store everything ``SEEDED_NAMES`` names, in an empty database."""
    _new, confirmed, shipped_order = OTHER_ORDERS
    for external_id in OTHER_ORDERS:
        await intake_order(db, ctx, new_order(external_id, phone="+380671112233", name="Ігор"))
    for external_id in (confirmed, shipped_order):
        await set_status_by_shop(db, ctx, external_id, OrderStatus.confirmed, None)
    await attach_shipment(db, ctx, shipped_order, Carrier.nova_poshta, DELIVERY_WAYBILL)

    requested, approved, shipped = [
        await submitted_return(db, ctx, external_id=external_id) for external_id in RECEIVED_ORDERS
    ]
    for return_ in (approved, shipped):
        await move_by_shop(db, ctx, return_.id, ShopMove(ReturnStatus.approved))
    await move_by_shop(db, ctx, shipped.id, ShopMove(ReturnStatus.shipped, waybill=RETURN_WAYBILL))
    numbers = tuple(return_number(one.id) for one in (requested, approved, shipped))
    assert numbers == RETURN_NUMBERS, f"the database was not empty: returns {numbers}"
