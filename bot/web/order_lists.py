"""``GET /api/v1/orders``: the query (changed since, cursor, limit) and the page it answers."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, field_validator

from bot.web.cursors import EPOCH, OrderCursor, OrderKey
from bot.web.pages import Page, PageQuery
from bot.web.schemas import ShopTimestamp
from bot.web.serializers import OrderOut

_ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


class OrderListQuery(PageQuery):
    changed_since: ShopTimestamp | None = Field(
        default=None, description="Only orders changed at or after this moment."
    )
    after: OrderCursor | None = None

    @field_validator("changed_since", mode="before")
    @classmethod
    def _iso_text(cls, value: Any) -> Any:
        """A query string is text: refuse what pydantic would read as Unix time (``0.5``)."""
        if isinstance(value, str) and not _ISO_DATE_TIME.match(value):
            raise ValueError("must be an ISO 8601 date-time with a UTC offset")
        return value

    def start(self) -> OrderKey:
        """The cursor of a page that lists nothing yet: just before ``changed_since``."""
        return OrderKey(updated_at=self.changed_since or EPOCH, id=0)


class OrderListOut(Page):
    orders: list[OrderOut] = Field(
        description="Least recently changed first; an order changed again moves to the end."
    )
