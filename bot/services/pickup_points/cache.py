"""A city's pickup points: from the database when fetched within a day, else from the carrier.

The carrier is asked outside any transaction; the answer is stored in its own short one. A
carrier that does not answer is answered for by yesterday's list when there is one.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Final

from sqlalchemy.exc import IntegrityError

from bot.carriers.base import CarrierUnavailable
from bot.carriers.capabilities import PickupPoints
from bot.domain.pickup_points import PickupPoint
from storage.uow import Database

log = logging.getLogger(__name__)

CACHE_FOR: Final = timedelta(days=1)  # NP: "keep a local copy, refresh once a day"


async def city_points(db: Database, source: PickupPoints, city: str) -> list[PickupPoint]:
    """Every point of ``city``; raise :class:`CarrierUnavailable` when the carrier does not
    answer and nothing was ever stored for the city."""
    async with db.read() as uow:
        cached = await uow.pickup_points.city(source.name, city)
        now = uow.clock.now()
    if cached is not None and now - cached[0] < CACHE_FOR:
        return cached[1]
    try:
        points = await source.city_points(city)
    except CarrierUnavailable as error:
        if cached is None:
            raise
        log.warning(
            "%s did not list the points of a city (%s); using the list of %s",
            source.name,
            error.reason,
            cached[0].isoformat(),
        )
        return cached[1]
    try:
        async with db.uow() as uow:
            await uow.pickup_points.store(source.name, city, points, uow.clock.now())
            await uow.commit()
    except IntegrityError:  # another process stored the same city a moment ago: same list
        log.info("the points of a city were stored concurrently")
    return points
