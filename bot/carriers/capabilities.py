"""Optional capabilities a carrier may have besides tracking (``base.CarrierClient``).

Each is a narrow Protocol; a carrier module implements the ones its API allows, and the app wires
an implementation only when the carrier is configured (its key set). A feature asks for the
capability, never for a carrier: adding a carrier that has pickup points touches nothing else.
"""

from __future__ import annotations

from typing import Protocol

from bot.domain.pickup_points import PickupPoint


class PickupPoints(Protocol):
    """A carrier's directory of branches and parcel lockers.

    Both methods raise :class:`bot.carriers.base.CarrierUnavailable` when the carrier does not
    answer (timeout, 5xx, garbage, an error envelope); an empty answer is a real "none".
    """

    name: str  # the carrier, as orders store it ("nova_poshta")

    async def city_points(self, city: str) -> list[PickupPoint]:
        """Every point in the city called ``city`` (as the shop wrote it), working or not.
        A search by number or street and the look-up of one point are done on this list,
        which the caller caches (carriers advise refreshing it once a day)."""
        ...
