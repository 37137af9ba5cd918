"""What each Vykup event does to a WooCommerce order by default: a status slug, or "" for a note only.

WooCommerce has no order tags, so a status and a note are all a connector can show. The slugs are
the REST API's (``refdata/shop-webhooks/woocommerce-webhooks-and-status-api.json``, "order_statuses"):
``processing`` is what a cash-on-delivery order is set to at checkout (the COD gateway), so a
confirmed order stays where the shop expects it; ``on-hold`` waits for someone; ``completed`` is
fulfilled. A shop overrides any of them (or uses its own custom slug) with ``--map``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from bot.domain.shop_events import ShopEvent

E = ShopEvent
NOTE_ONLY: Final = ""

DEFAULT_MAPPING: Final[Mapping[ShopEvent, str]] = MappingProxyType(
    {
        E.order_confirmed: "processing",
        E.order_cancelled: "cancelled",
        E.order_change_requested: NOTE_ONLY,
        E.order_on_hold: "on-hold",
        E.order_prepayment_required: "on-hold",
        E.order_approved: "processing",
        E.order_customer_unreachable: NOTE_ONLY,
        E.shipment_refused: NOTE_ONLY,
        E.shipment_received: "completed",
        E.return_requested: NOTE_ONLY,
        E.return_approved: NOTE_ONLY,
        E.return_refunded: NOTE_ONLY,
    }
)


def target_status(event: ShopEvent, overrides: Mapping[str, str]) -> str | None:
    """The status slug ``event`` moves the order to; None: no status change (a note at most).

    The connection's own mapping (keyed by the event's name) wins over the defaults; an event in
    neither only places its note.
    """
    slug = overrides.get(event.value)
    if slug is None:
        slug = DEFAULT_MAPPING.get(event, NOTE_ONLY)
    slug = slug.strip()
    return slug or None
