"""Ukrposhta's event codes → ShipmentStatus, with a decision for every code the refdata lists.

Codes, names and meanings: ``refdata/ukrposhta/status-tracking-api-facts.json`` ("event_codes" and
"other_codes_listed_as_in_transit_by_X1"). The official tables (the PDF's "Додаток Б", about sixty
codes) are not in the refdata, so a code outside this table is unknown: it is logged at WARNING and
yields no status, and tracking goes on with the parcel's earlier events.

A code is either MAPPED to a status or deliberately IGNORED (with the reason). One code needs more
than its number: 41000 "Відправлення вручено" with ``eventReason_id`` 10 ("відправнику") is the
parcel handed back to the shop, not to the customer (refdata "return_rule"; the RomaBilka fixture
shows exactly this event), so :func:`event_status` reads the reason too.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final

from bot.domain.shipments import ShipmentStatus

log = logging.getLogger(__name__)

DELIVERED: Final = "41000"
# eventReason_id of a 41000 that went back to the sender (eventReason "відправнику").
TO_SENDER_REASON_ID: Final = 10

# Events that put the parcel at the office where the customer picks it up; the first of them is
# the arrival the storage days count from (bot.carriers.ukrposhta.storage).
ARRIVAL_CODES: Final = frozenset({"21700", "21400"})

# X1 lists these as "in transit" without naming them (the Ukraine and abroad tables).
_X1_IN_TRANSIT: Final = (
    "60700", "70800", "71200", "80700", "80800", "82700", "82800", "87500", "89000", "90700",
    "90800", "100700", "100800", "17100", "24100", "24300", "24400", "27200", "27900", "29200",
    "29300", "29500", "29700", "35100", "35200", "35400",
)  # fmt: skip

MAPPED: Final[Mapping[str, ShipmentStatus]] = {
    # "Створено онлайн, очікує приймання": the shop booked it, the parcel is not handed over yet.
    "10601": ShipmentStatus.created,
    # "Відправлення прийняте у відділенні": the post office took the parcel; the trip begins.
    "10100": ShipmentStatus.in_transit,
    # Sorting centre, on its way, sent to the post office / to the delivery point.
    "20700": ShipmentStatus.in_transit,
    "20800": ShipmentStatus.in_transit,
    "20900": ShipmentStatus.in_transit,
    "21500": ShipmentStatus.in_transit,
    # In transit (Ukraine table; X1 gives no name).
    "21600": ShipmentStatus.in_transit,
    "35300": ShipmentStatus.in_transit,
    # "Відправлення перенаправлене до іншого відділення": on its way again, to another office.
    # After an arrival this is older news by rank and changes nothing; the new office's 21700
    # tells the customer where to go.
    "31300": ShipmentStatus.in_transit,
    # "Завершення імпорту": customs are done, the parcel now travels inside Ukraine (X1 counts it
    # as delivered, but nobody has handed it to the customer yet).
    "24500": ShipmentStatus.in_transit,
    # "Відправлення у точці видачі/доставки" ("у відділенні"): waiting for the customer.
    "21700": ShipmentStatus.arrived,
    # "Передано на зберігання": kept at the office for the customer (also after a courier could
    # not hand it over); the same news as 21700 when that came first.
    "21400": ShipmentStatus.arrived,
    # "Відправлення не вручено під час доставки", "Невдала спроба вручення (передача на
    # зберігання)": a courier or postman could not hand it over.
    "31100": ShipmentStatus.delivery_failed,
    "31400": ShipmentStatus.delivery_failed,
    # "Повернення відправлення / за зворотною адресою": on its way back to the shop — the customer
    # did not take it (Ukrposhta has no separate refusal code in the refdata), so they are asked
    # why, like after a refusal.
    "31200": ShipmentStatus.returning,
    # "Відправлення вручено" (with eventReason_id 10: handed back to the sender, see above).
    DELIVERED: ShipmentStatus.received,
    # "Відправлення вручено відправнику": the return is complete.
    "41010": ShipmentStatus.returned,
    # "Міжнародне відправлення вручено у країні одержувача".
    "48000": ShipmentStatus.received,
    **{code: ShipmentStatus.in_transit for code in _X1_IN_TRANSIT},
}

IGNORED: Final[Mapping[str, str]] = {
    "10600": (
        "acceptance cancelled at the sender's request: no shipment status fits and the parcel may "
        "go out on another number, so the bot says nothing"
    ),
    "10602": "acceptance cancelled: as 10600",
    "10603": "deleted by the client: as 10600",
    "24200": (
        "export cancelled: an international parcel that never left; the shop, not the customer, "
        "has news, and the parcel's next event (a return) says the rest"
    ),
}


def normalise_code(code: object) -> str | None:
    """``41000``, ``"41000"``, ``"41 000"`` → ``"41000"`` (the published tables print some codes
    with spaces); ``None``, ``""``, booleans and containers → None."""
    if isinstance(code, bool) or code is None:
        return None
    if isinstance(code, int):
        return str(code)
    if not isinstance(code, str):
        return None
    text = "".join(code.split())
    return text if text.isascii() and text.isdigit() else None


def is_known(code: object) -> bool:
    """True if a decision (a status or a reason to ignore) exists for ``code``."""
    key = normalise_code(code)
    return key is not None and (key in MAPPED or key in IGNORED)


def event_status(code: object, reason_id: object = None) -> ShipmentStatus | None:
    """The shipment status one event means; None if it says nothing new or is unknown."""
    key = normalise_code(code)
    if key is None:
        log.warning("Ukrposhta sent no usable event code: %r", code)
        return None
    status = MAPPED.get(key)
    if status is None and key not in IGNORED:
        log.warning("unknown Ukrposhta event code %r; no shipment status for it", key)
    if key == DELIVERED and _reason(reason_id) == TO_SENDER_REASON_ID:
        return ShipmentStatus.returned
    return status


def _reason(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
