"""A KeyCRM trigger's webhook, read: ``{"event": "order.change_order_status", "context": {…}}``.

The context is the order's own row (``refdata``: webhooks.context_fields_for_order_change_order_
status): ids, totals, ``status_id``, dates, but neither the buyer's phone nor the products, so an
order event asks the framework to fetch the order (:attr:`InboundKind.fetch`).
"""

from __future__ import annotations

import json
from typing import Any, Final

from bot.connectors.base import Inbound, InboundKind, InvalidInbound

ORDER_STATUS_CHANGED: Final = "order.change_order_status"
# Order topics that name an order to fetch. Only the status change is documented with a body
# (refdata); KeyCRM's other order triggers (payment received, products reserved) are not sent by
# the steps Vykup gives, and are ignored if an owner adds them.
FETCH_EVENTS: Final = frozenset({ORDER_STATUS_CHANGED})
MAX_ORDER_ID: Final = 2**63 - 1


def parse_webhook(body: bytes) -> Inbound:
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInbound("body", "is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidInbound("body", "must be a JSON object")
    event = data.get("event")
    if not isinstance(event, str) or not event:
        raise InvalidInbound("event", "must be a non-empty string")
    topic = event[:100]
    if event not in FETCH_EVENTS:
        return Inbound(InboundKind.ignored, topic=topic)
    context = data.get("context")
    if not isinstance(context, dict):
        raise InvalidInbound("context", "must be an object")
    return Inbound(InboundKind.fetch, remote_id=str(order_id(context, "context.id")), topic=topic)


def order_id(row: dict[str, Any], field_name: str) -> int:
    """The order's ``id``: a positive integer (``12.0`` is 12, as JSON has no integers)."""
    value = row.get("id")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInbound(field_name, "must be a positive integer")
    if not 0 < value <= MAX_ORDER_ID:
        raise InvalidInbound(field_name, "must be a positive integer")
    return value
