"""Opaque cursors of the API's lists: ``after=<cursor>`` goes on where the last page ended.

To the shop a cursor is an opaque string handed back in ``next_after``; inside it is the sort key
of the last row listed, prefixed by the list it belongs to (``e`` events, ``o`` orders, ``r``
returns), so a cursor of one list given to another is refused. The OpenAPI document states each
one's pattern, and every string that matches it is a cursor the server accepts (a key beyond the
last row just lists nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

from bot.domain.event_position import EventPosition

# Row ids are 32-bit integers on PostgreSQL: a larger one in a cursor names "after everything".
MAX_ID = 2**31 - 1
MAX_TX = 2**63 - 1  # a transaction id is a bigint
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 12, 31, tzinfo=UTC)

EVENT_CURSOR = r"^e[0-9]{1,19}_[0-9]{1,19}$"
ORDER_CURSOR = r"^o[0-9]{1,17}_[0-9]{1,19}$"
RETURN_CURSOR = r"^r[0-9]{1,19}$"


@dataclass(frozen=True, slots=True)
class OrderKey:
    """Where the orders list stands: the last order's ``updated_at`` and id."""

    updated_at: datetime
    id: int


def _row_id(digits: str) -> int:
    return min(int(digits), MAX_ID)


def event_cursor(position: EventPosition) -> str:
    return f"e{position.tx}_{position.id}"


def return_cursor(row_id: int) -> str:
    return f"r{row_id}"


def order_cursor(key: OrderKey) -> str:
    delta = key.updated_at.astimezone(UTC) - EPOCH
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"o{max(micros, 0)}_{key.id}"


def _check(value: object, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError("is not a cursor of this list; send back a `next_after` it answered")
    return value


def _event_position(value: object) -> EventPosition:
    tx, _, row_id = _check(value, _EVENTS)[1:].partition("_")
    return EventPosition(tx=min(int(tx), MAX_TX), id=_row_id(row_id))


def _return_id(value: object) -> int:
    return _row_id(_check(value, _RETURNS)[1:])


def _order_key(value: object) -> OrderKey:
    micros, _, row_id = _check(value, _ORDERS)[1:].partition("_")
    at = min(EPOCH + timedelta(microseconds=int(micros)), _LATEST)
    return OrderKey(updated_at=at, id=_row_id(row_id))


_EVENTS = re.compile(EVENT_CURSOR)
_RETURNS = re.compile(RETURN_CURSOR)
_ORDERS = re.compile(ORDER_CURSOR)


def cursor_schema(pattern: str, what: str) -> dict[str, Any]:
    """The cursor's JSON schema, for the query parameter ``after`` in the document."""
    return {
        "type": "string",
        "pattern": pattern,
        "description": (
            f"Go on after this cursor: the `next_after` of the previous page of {what} "
            "(an opaque string; left out: from the start)."
        ),
    }


EventCursor = Annotated[
    EventPosition,
    PlainValidator(_event_position),
    WithJsonSchema(cursor_schema(EVENT_CURSOR, "events")),
]
ReturnCursor = Annotated[
    int, PlainValidator(_return_id), WithJsonSchema(cursor_schema(RETURN_CURSOR, "returns"))
]
OrderCursor = Annotated[
    OrderKey, PlainValidator(_order_key), WithJsonSchema(cursor_schema(ORDER_CURSOR, "orders"))
]
