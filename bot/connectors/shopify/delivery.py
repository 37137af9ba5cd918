"""Where a Shopify order goes: the carrier a shipping line or a fulfillment names, the city, the
branch, and a waybill added in the admin.

Shopify has no carrier field of its own for Ukrainian carriers: a shop names its shipping rates
("Нова Пошта — відділення", "Nova Poshta courier"), and the rate's ``title``/``code`` arrive in
``shipping_lines``; a fulfillment's ``tracking_company`` is free text too. So both are read by
name, in Ukrainian, Russian and English spellings.

The branch: Ukrainian shops on Shopify's stock checkout have no branch picker, so buyers type the
branch into the address line ("Відділення №12"). When the shipping rate says it is a branch or a
parcel locker, or the address line itself reads like one, the address line is the branch. No
public evidence was found of what a Shopify Nova Poshta app writes into ``note_attributes`` (no
app documents its attribute names), so none is guessed: a shop whose checkout app stores the
branch in an order attribute names it with ``options["point_attribute"]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.connectors.base import Tracking
from bot.connectors.shopify.reading import Obj
from bot.domain.new_order import ADDRESS_LENGTH, CITY_LENGTH, POINT_LENGTH
from bot.domain.orders import Carrier
from bot.domain.waybills import compact_waybill, valid_waybill

# Spellings compared after lower-casing and dropping everything but letters.
CARRIER_NAMES: Final[Mapping[Carrier, tuple[str, ...]]] = {
    Carrier.nova_poshta: ("novaposhta", "novapost", "новапошта", "новаяпочта", "novapochta"),
    Carrier.ukrposhta: ("ukrposhta", "укрпошта", "укрпочта", "ukrpost"),
    Carrier.meest: ("meest", "містекспрес", "мистэкспресс"),
    Carrier.rozetka: ("rozetka", "розетка"),
    Carrier.pickup: ("самовивіз", "самовывоз", "pickup", "localpickup"),
    Carrier.courier: ("курєр", "курьер", "courier", "адреснадоставка"),
}
# Checked in this order: "Нова Пошта кур'єр" is Nova Poshta (to the door), not a courier service.
_PRECEDENCE: Final = (
    Carrier.nova_poshta,
    Carrier.ukrposhta,
    Carrier.meest,
    Carrier.rozetka,
    Carrier.pickup,
    Carrier.courier,
)
BRANCH_WORDS: Final = re.compile(
    r"відділенн|віділенн|поштомат|отделени|почтомат|пункт\s+видачі|branch|warehouse|"
    r"parcel\s*locker|post\s*office",
    re.IGNORECASE,
)
# Shopify fulfillment statuses that never carried a parcel (REST Fulfillment "status").
_NOT_SHIPPED: Final = frozenset({"cancelled", "error", "failure"})


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


def carrier_named(*texts: str | None) -> Carrier | None:
    """The carrier any of ``texts`` names, or None when none names one."""
    letters = " ".join(_letters(t) for t in texts if t)
    if not letters:
        return None
    for carrier in _PRECEDENCE:
        if any(name in letters for name in CARRIER_NAMES[carrier]):
            return carrier
    return None


@dataclass(frozen=True)
class Destination:
    carrier: Carrier
    city: str | None
    point: str | None
    address: str | None


def _clip(text: str | None, limit: int) -> str | None:
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _attribute(order: Obj, name: str) -> str | None:
    for attribute in order.objs("note_attributes"):
        if attribute.text("name") == name:
            return attribute.text("value")
    return None


def destination(order: Obj, options: Mapping[str, str]) -> Destination:
    """The carrier, city and branch or address of ``order`` (a REST order)."""
    lines = order.objs("shipping_lines")
    line = lines[0] if lines else None
    title = line.text("title") if line else None
    code = line.text("code") if line else None
    carrier = carrier_named(title, code) or Carrier.other

    address = order.obj("shipping_address")
    city = address.text("city") if address else None
    line1 = address.text("address1") if address else None
    line2 = address.text("address2") if address else None
    street = ", ".join(part for part in (line1, line2) if part) or None

    point_attribute = options.get("point_attribute")
    point = _attribute(order, point_attribute) if point_attribute else None
    if point is None and street is not None:
        says_branch = any(BRANCH_WORDS.search(t) for t in (title, code, line1) if t)
        if says_branch and carrier in (Carrier.nova_poshta, Carrier.ukrposhta, Carrier.meest):
            point = street
    return Destination(
        carrier=carrier,
        city=_clip(city, CITY_LENGTH),
        point=_clip(point, POINT_LENGTH),
        address=None if point is not None and point == street else _clip(street, ADDRESS_LENGTH),
    )


def tracking(order: Obj) -> Tracking | None:
    """The newest fulfillment's waybill, when it is a number of the carrier it names."""
    for fulfillment in reversed(order.objs("fulfillments")):
        if (fulfillment.text("status") or "").lower() in _NOT_SHIPPED:
            continue
        number = fulfillment.text("tracking_number", max_length=100)
        if not number:
            continue
        carrier = carrier_named(fulfillment.text("tracking_company")) or Carrier.other
        if carrier in (Carrier.pickup, Carrier.courier):
            carrier = Carrier.other
        waybill = compact_waybill(number)
        if valid_waybill(carrier, waybill):
            return Tracking(carrier=carrier, number=waybill)
    return None
