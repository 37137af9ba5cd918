"""What a Vykup event does to a Shopify order by default: the tag it adds ("" = a note only).

A tag is how a Shopify admin filters orders (the Orders list's tag filter and saved views), and
``tagsAdd`` only adds, so setting one twice changes nothing. The note is always written when the
framework renders one; the tag comes on top. An owner's ``--map order.confirmed=my-tag`` wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from bot.domain.shop_events import ShopEvent

E = ShopEvent
DEFAULT_MAPPING: Final[Mapping[ShopEvent, str]] = {
    E.order_confirmed: "vykup-confirmed",
    E.order_cancelled: "vykup-cancelled",
    E.order_change_requested: "vykup-change-requested",
    E.order_on_hold: "vykup-on-hold",
    E.order_prepayment_required: "vykup-prepayment-required",
    E.order_approved: "vykup-approved",
    E.order_customer_unreachable: "vykup-unreachable",
    E.shipment_refused: "vykup-refused",
    E.shipment_received: "vykup-received",
    E.return_requested: "vykup-return-requested",
    E.return_approved: "vykup-return-approved",
    E.return_refunded: "vykup-return-refunded",
}


def tag_for(event: ShopEvent, mapping: Mapping[str, str]) -> str:
    """The tag ``event`` adds: the connection's own mapping first, then the default; "" = none."""
    if event.value in mapping:
        return mapping[event.value].strip()
    return DEFAULT_MAPPING.get(event, "")
