"""Nova Poshta's StatusCode → ShipmentStatus, with a decision for every code NP documents.

Codes and texts: NP developer docs, table "Актуальні статуси трекінгу" (see
``refdata/novaposhta/tracking-status-codes-and-fields.json``), plus 14, 107 and 108, which NP
sends but the table does not list.

A code is either MAPPED to a status or deliberately IGNORED (with the reason). Anything else is
unknown: it is logged at WARNING and yields no status, so a new NP code never crashes tracking.

NP has no code for "going back to the sender" or "returned": a return travels on a new waybill
created on the basis of the old one, so ``returning`` and ``returned`` never come from here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final

from bot.domain.shipments import ShipmentStatus

log = logging.getLogger(__name__)

NOT_FOUND: Final = "3"

MAPPED: Final[Mapping[str, ShipmentStatus]] = {
    # The sender made the waybill but has not handed the parcel over yet.
    "1": ShipmentStatus.created,
    # "Нова Пошта комплектує ваше відправлення": NP packs it at the sender's branch or warehouse;
    # still before the trip starts.
    "12": ShipmentStatus.created,
    # In the sender's city (4: between regions; 41: local delivery within one city).
    "4": ShipmentStatus.in_transit,
    "41": ShipmentStatus.in_transit,
    # On the way to the recipient's city.
    "5": ShipmentStatus.in_transit,
    # In the recipient's city, not at the branch yet ("чекайте на повідомлення про прибуття").
    "6": ShipmentStatus.in_transit,
    # "На шляху до одержувача": a courier is taking it to the door.
    "101": ShipmentStatus.in_transit,
    # At the branch (7) or loaded into a parcel locker (8).
    "7": ShipmentStatus.arrived,
    "8": ShipmentStatus.arrived,
    # Handed to the recipient to look at before paying: it is at the point, the customer is there;
    # receiving or refusing follows.
    "14": ShipmentStatus.arrived,
    # Received; 10 and 11 add that the cash-on-delivery money is on its way to / paid to the shop;
    # 106 adds that the waybill for the money's way back was created.
    "9": ShipmentStatus.received,
    "10": ShipmentStatus.received,
    "11": ShipmentStatus.received,
    "106": ShipmentStatus.received,
    # Refused: 102 with a return order created, 103 refused at the branch, 108 refused (short text).
    "102": ShipmentStatus.refused,
    "103": ShipmentStatus.refused,
    "108": ShipmentStatus.refused,
    # "Нараховується плата за зберігання": free storage is over and the customer now pays for it.
    # The parcel still waits, but "arrived" would be a repeat and tell nobody anything; the domain's
    # storage_ended ("free storage is over; the parcel is about to go back") is exactly this news.
    "107": ShipmentStatus.storage_ended,
    # "Припинено зберігання": storage stopped, the parcel is about to go back to the sender.
    "105": ShipmentStatus.storage_ended,
    # A courier could not reach the recipient at the address.
    "111": ShipmentStatus.delivery_failed,
}

IGNORED: Final[Mapping[str, str]] = {
    "2": (
        "deleted: the sender deleted the waybill; no shipment status fits and the parcel may be "
        "shipped on another number, so the bot says nothing (carrier_code '2' still reaches the sink)"
    ),
    "3": "number not found: reported as CarrierUpdate.not_found, not as a status",
    "104": (
        "address changed: the recipient re-routed the parcel; NP continues it on a new waybill made "
        "on the basis of this one, and the customer asked for it, so there is no news to tell"
    ),
    "112": (
        "delivery date moved by the recipient: the parcel stays where it is; the new date arrives "
        "as expected_delivery"
    ),
}


def normalise_code(code: object) -> str | None:
    """``9``, ``"9"``, ``" 09 "`` → ``"9"``; ``None``, ``""``, booleans and containers → None."""
    if isinstance(code, bool) or code is None:
        return None
    if isinstance(code, int):
        return str(code)
    if isinstance(code, float):
        return str(int(code)) if code.is_integer() else None
    if not isinstance(code, str):
        return None
    text = code.strip()
    if not text:
        return None
    if text.isdigit():
        return str(int(text))
    return text


def is_known(code: str | int | None) -> bool:
    """True if a decision (a status or a reason to ignore) exists for ``code``."""
    key = normalise_code(code)
    return key is not None and (key in MAPPED or key in IGNORED)


def map_status(code: str | int | None) -> ShipmentStatus | None:
    """The shipment status NP's ``StatusCode`` means; None if it says nothing new or is unknown."""
    key = normalise_code(code)
    if key is None:
        log.warning("Nova Poshta sent no usable StatusCode: %r", code)
        return None
    status = MAPPED.get(key)
    if status is None and key not in IGNORED:
        log.warning("unknown Nova Poshta StatusCode %r; no shipment status for it", key)
    return status
