"""Nova Poshta's branches and parcel lockers: ``Address.getWarehouses`` by city, page by page.

Follows refdata/novaposhta (Address.getWarehouses.request/response.platx.json and the
``warehouses`` facts compiled from NP's devcenter page): the request filters by ``CityName``
and pages with ``Limit``/``Page``; ``info.totalCount`` says how many match. Where refdata is
silent: the page size (NP does not state a maximum; 500 is what third-party clients send) and
the values of ``WarehouseStatus`` other than "Working" (any other value is read as not working).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

import aiohttp

from bot.carriers.base import CarrierKeyRejected, CarrierUnavailable
from bot.carriers.novaposhta import values
from bot.carriers.novaposhta.client import DEFAULT_API_URL, KEY_ERROR
from bot.carriers.novaposhta.parse import MalformedResponse, read_envelope
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


class NovaPoshtaPoints:
    """:class:`bot.carriers.capabilities.PickupPoints` for Nova Poshta. Touches no database."""

    name = "nova_poshta"

    def __init__(
        self,
        http: aiohttp.ClientSession,
        *,
        api_key: str,
        api_url: str = DEFAULT_API_URL,
        timeout: float = 15.0,
    ) -> None:
        self._http = http
        self._api_key = api_key
        self._api_url = api_url
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    def __repr__(self) -> str:  # never show the key
        return f"NovaPoshtaPoints(api_url={self._api_url!r})"

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
        body: dict[str, Any] = {
            "apiKey": self._api_key,
            "modelName": "Address",
            "calledMethod": "getWarehouses",
            "methodProperties": {
                "CityName": city,
                "Language": "UA",
                "Limit": PAGE_LIMIT,
                "Page": page,
            },
        }
        try:
            async with self._http.post(self._api_url, json=body, timeout=self._timeout) as resp:
                status = resp.status
                raw = await resp.read()
        except TimeoutError as exc:
            raise CarrierUnavailable(f"no answer within {self._timeout.total} s") from exc
        except aiohttp.ClientError as exc:
            raise CarrierUnavailable(f"connection failed: {type(exc).__name__}") from exc
        if status >= 400:
            raise CarrierUnavailable(f"HTTP {status}")
        try:
            payload = json.loads(raw)
            envelope = read_envelope(payload)
        except (ValueError, MalformedResponse) as exc:  # UnicodeDecodeError is a ValueError
            raise CarrierUnavailable(f"unexpected answer: {type(exc).__name__}") from exc
        if not envelope.success:
            errors = "; ".join(envelope.errors) or "no errors given"
            reason = f"Nova Poshta refused: {errors}"[:300]
            if any(KEY_ERROR.search(error) for error in envelope.errors):
                raise CarrierKeyRejected(reason)
            raise CarrierUnavailable(reason)
        info = payload.get("info") if isinstance(payload, Mapping) else None
        total = values.decimal(info.get("totalCount")) if isinstance(info, Mapping) else None
        return list(envelope.documents), int(total) if total is not None else None
