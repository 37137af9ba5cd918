"""Nova Poshta's branches and parcel lockers: ``Address.getWarehouses`` by city, page by page.

Follows refdata/novaposhta (Address.getWarehouses.request/response.platx.json and the
``warehouses`` facts compiled from NP's devcenter page): the request filters by ``CityName``
and pages with ``Limit``/``Page``; ``info.totalCount`` says how many match. Where refdata is
silent: the page size (NP does not state a maximum; 500 is what third-party clients send) and
the values of ``WarehouseStatus`` other than "Working" (any other value is read as not working).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from bot.carriers.novaposhta import values
from bot.carriers.novaposhta.api import NovaPoshtaApi, refusal
from bot.domain.pickup_points import PickupPoint, valid_ref

log = logging.getLogger(__name__)

PAGE_LIMIT: Final = 500
MAX_PAGES: Final = 40  # 20,000 points: more than any Ukrainian city has
WORKING: Final = "Working"
# CategoryOfWarehouse of a parcel locker, and the locker type refs refdata lists.
LOCKER_CATEGORY: Final = "Postomat"
LOCKER_TYPES: Final = frozenset(
    {"f9316480-5f2d-425d-bc2c-ac7cd29decf0", "95dc212d-479c-4ffb-a8ab-8c1b9073d0bc"}
)


def _weight_limit(raw: Mapping[str, object]) -> Decimal | None:
    """The most a parcel may weigh there: the smaller of the per-place and total limits;
    "0" or nothing means no limit stated."""
    limits = [
        amount
        for name in ("PlaceMaxWeightAllowed", "TotalMaxWeightAllowed")
        if (amount := values.decimal(raw.get(name))) is not None and amount > 0
    ]
    return min(limits) if limits else None


def parse_warehouse(raw: object) -> PickupPoint | None:
    """One warehouse of the answer; None for anything without a Ref and a Description."""
    if not isinstance(raw, Mapping):
        return None
    ref = values.text(raw.get("Ref"))
    description = values.text(raw.get("Description"))
    if ref is None or description is None or not valid_ref(ref):
        return None
    status = values.text(raw.get("WarehouseStatus"))
    denied = values.flag(raw.get("DenyToSelect")) is True
    number = values.text(raw.get("Number")) or ""
    return PickupPoint(
        ref=ref,
        number=str(int(number)) if number.isdigit() else number,
        description=description,
        short_address=values.text(raw.get("ShortAddress")) or "",
        working=(status is None or status == WORKING) and not denied,
        max_weight=_weight_limit(raw),
        locker=values.text(raw.get("CategoryOfWarehouse")) == LOCKER_CATEGORY
        or values.text(raw.get("TypeOfWarehouse")) in LOCKER_TYPES,
    )


def _same_city(raw: object, city: str) -> bool:
    """NP's CityName filter may match other places of the same name prefix; keep the city's own
    (an answer without CityDescription is trusted)."""
    if not isinstance(raw, Mapping):
        return False
    described = values.text(raw.get("CityDescription"))
    return described is None or described.casefold() == city.casefold()


class NovaPoshtaPoints(NovaPoshtaApi):
    """:class:`bot.carriers.capabilities.PickupPoints` for Nova Poshta. Touches no database."""

    name = "nova_poshta"

    async def city_points(self, city: str) -> list[PickupPoint]:
        points: list[PickupPoint] = []
        seen: set[str] = set()
        for page in range(1, MAX_PAGES + 1):
            data, total = await self._page(city, page)
            for raw in data:
                point = parse_warehouse(raw) if _same_city(raw, city) else None
                if point is None:
                    if not isinstance(raw, Mapping) or _same_city(raw, city):
                        log.warning("skipping an unreadable Nova Poshta warehouse in %r", city)
                    continue
                if point.ref not in seen:
                    seen.add(point.ref)
                    points.append(point)
            if (
                not data
                or len(data) < PAGE_LIMIT
                or (total is not None and page * PAGE_LIMIT >= total)
            ):
                break
        return points

    async def _page(self, city: str, page: int) -> tuple[list[object], int | None]:
        properties = {"CityName": city, "Language": "UA", "Limit": PAGE_LIMIT, "Page": page}
        envelope, payload = await self._post("Address", "getWarehouses", properties)
        if not envelope.success:
            raise refusal(envelope)
        info = payload.get("info") if isinstance(payload, Mapping) else None
        total = values.decimal(info.get("totalCount")) if isinstance(info, Mapping) else None
        return list(envelope.documents), int(total) if total is not None else None
