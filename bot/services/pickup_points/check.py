"""After intake: is the order's pickup point one the carrier has, working, and taking the parcel?

Intake only marks the order ``pending``; this runs outside its transaction (a background loop),
asks the carrier (through the daily cache), and records the verdict in a short transaction of its
own. A problem is shown on the customer's card with the "Change the branch" button; a carrier that
does not answer changes nothing the customer sees (the check is ``skipped``, and logged).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.carriers.base import CarrierUnavailable
from bot.carriers.capabilities import PickupPoints
from bot.domain.orders import awaits_confirmation
from bot.domain.pickup_points import PROBLEMS, PickupPoint, PointCheck, find_point, verdict
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.services.pickup_points.cache import city_points
from storage.uow import Database

log = logging.getLogger(__name__)

BATCH = 50


async def check_due_points(
    db: Database, ctx: ServiceContext, sources: Mapping[str, PickupPoints], *, limit: int = BATCH
) -> int:
    """Check the points of orders waiting for it (oldest first); how many were decided."""
    async with db.read() as uow:
        due = await uow.orders.point_checks_due(limit)
    for order_id, carrier, city in due:
        source = sources.get(carrier)
        points: list[PickupPoint] | None = None
        if source is None:
            log.warning(
                "order %s: no pickup point directory for %r; not checked", order_id, carrier
            )
        else:
            try:
                points = await city_points(db, source, city)
            except CarrierUnavailable as error:
                log.warning(
                    "order %s: %s did not answer about its pickup point (%s); not checked",
                    order_id,
                    carrier,
                    error.reason,
                )
        await record_check(db, ctx, order_id, points)
    return len(due)


async def record_check(
    db: Database, ctx: ServiceContext, order_id: int, points: list[PickupPoint] | None
) -> PointCheck | None:
    """Record the verdict on the order's point among ``points`` (None: the carrier did not
    answer); update the customer's card when it shows a problem."""
    async with db.uow() as uow:
        # Locked first, then read: a lock that waited for linking sees its customer too.
        order = await uow.orders.get_locked_fresh(order_id)
        if order is None or order.point_check != PointCheck.pending:
            return None  # checked meanwhile (another process), or the point was changed
        if points is None:
            order.point_check = PointCheck.skipped.value
            await uow.commit()
            return PointCheck.skipped
        point = find_point(points, order.point or "")
        found = verdict(point, order.weight)
        order.point_check = found.value
        if point is not None:
            order.point_ref = point.ref
        if found in PROBLEMS:
            log.info("order %s: its pickup point is %s", order_id, found.value)
            if awaits_confirmation(order.status) and order.card_queued_at is not None:
                await Notifier(uow, ctx).card_update(order)
        await uow.commit()
        return found
