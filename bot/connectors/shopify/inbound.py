"""A verified Shopify delivery read: its topic (``X-Shopify-Topic``) decides what it is.

Every ``orders/*`` topic Vykup acts on carries the whole REST order (refdata
``webhook_delivery.transport``), so an ``orders/updated`` that overtakes its ``orders/create``
is read just as well; ``updated_at`` orders them. Deleted orders and other topics are answered
and left alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from bot.connectors.base import MAX_INBOUND_BYTES, Inbound, InboundKind, InvalidInbound
from bot.connectors.shopify.orders import remote_order
from bot.connectors.shopify.signature import header

TOPIC_HEADER: Final = "X-Shopify-Topic"
ORDER_TOPICS: Final = frozenset(
    {
        "orders/create",
        "orders/updated",
        "orders/cancelled",
        "orders/fulfilled",
        "orders/partially_fulfilled",
        "orders/paid",
        "orders/edited",
    }
)


def read(headers: Mapping[str, str], body: bytes, options: Mapping[str, str]) -> Inbound:
    topic = (header(headers, TOPIC_HEADER) or "").strip().lower()
    if not topic:
        raise InvalidInbound(TOPIC_HEADER, "is missing")
    if topic not in ORDER_TOPICS:
        return Inbound(kind=InboundKind.ignored, topic=topic)
    if len(body) > MAX_INBOUND_BYTES:
        raise InvalidInbound("body", f"is larger than {MAX_INBOUND_BYTES} bytes")
    try:
        # Decimal keeps a JSON number amount exact (Shopify writes amounts as strings anyway).
        parsed = json.loads(body, parse_float=Decimal)
    except (ValueError, RecursionError):
        raise InvalidInbound("body", "is not JSON") from None
    if not isinstance(parsed, dict):
        raise InvalidInbound("body", "must be a JSON object (the order)")
    return Inbound(kind=InboundKind.order, order=remote_order(parsed, options), topic=topic)
