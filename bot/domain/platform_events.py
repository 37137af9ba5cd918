"""Which of Vykup's events a connected platform hears about (as a status, tag or note)."""

from __future__ import annotations

from typing import Final

from bot.domain.shop_events import ShopEvent

E = ShopEvent
PLATFORM_EVENTS: Final[frozenset[ShopEvent]] = frozenset(
    {
        E.order_confirmed,
        E.order_cancelled,
        E.order_change_requested,
        E.order_on_hold,
        E.order_prepayment_required,
        E.order_approved,
        E.order_customer_unreachable,
        E.order_refusal_reason,
        E.shipment_refused,
        E.shipment_received,
        E.return_requested,
        E.return_approved,
        E.return_refunded,
    }
)


def platform_marker(outbox_id: int) -> str:
    """Written under every note: a repeated call finds it and adds no second note."""
    return f"[vykup:evt_{outbox_id}]"
