"""The daily cache of carriers' pickup points, per city."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.pickup_points import PickupPoint
from storage.models import PickupCity, PickupPointRow


def city_key(city: str) -> str:
    return " ".join(city.casefold().split())[:120]


def _point(row: PickupPointRow) -> PickupPoint:
    return PickupPoint(
        ref=row.ref,
        number=row.number,
        description=row.description,
        short_address=row.short_address,
        working=row.working,
        max_weight=row.max_weight,
        locker=row.locker,
    )


class PickupPointRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def city(self, carrier: str, city: str) -> tuple[datetime, list[PickupPoint]] | None:
        """When the city was fetched and its points; None: never fetched."""
        row = await self._session.scalar(
            select(PickupCity).where(
                PickupCity.carrier == carrier, PickupCity.city == city_key(city)
            )
        )
        if row is None:
            return None
        return row.fetched_at, [_point(point) for point in row.points]

    async def store(
        self, carrier: str, city: str, points: Sequence[PickupPoint], now: datetime
    ) -> None:
        """Replace the city's points with ``points`` (a fresh list from the carrier)."""
        key = city_key(city)
        await self._session.execute(
            delete(PickupCity).where(PickupCity.carrier == carrier, PickupCity.city == key)
        )
        await self._session.flush()
        self._session.add(
            PickupCity(
                carrier=carrier,
                city=key,
                fetched_at=now,
                points=[
                    PickupPointRow(
                        ref=point.ref,
                        number=point.number[:16],
                        description=point.description[:500],
                        short_address=point.short_address[:500],
                        working=point.working,
                        max_weight=point.max_weight,
                        locker=point.locker,
                    )
                    for point in points
                ],
            )
        )
        await self._session.flush()
