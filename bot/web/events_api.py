"""``GET /api/v1/events``: the shop's events read back, for a shop that missed webhooks or
takes none (catch-up). Thin: parse the query, call one service, shape the page."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from bot.domain.event_position import EventPosition
from bot.domain.shop_events import ShopEvent
from bot.services.shop_events import events_after
from bot.web.body import parse_model
from bot.web.cursors import EventCursor, event_cursor
from bot.web.jsonio import json_response
from bot.web.keys import DB
from bot.web.pages import Page, PageQuery, query_of


class EventListQuery(PageQuery):
    after: EventCursor | None = None


class ShopEventOut(BaseModel):
    """One event, exactly as its webhook delivers it (more fields by ``type``)."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="The event's id: the `webhook-id` of its delivery.")
    type: ShopEvent = Field(description="Its kind, e.g. `order.confirmed`.")
    event: ShopEvent = Field(description="The same as `type`, for receivers written before it.")
    external_id: str
    status: str
    occurred_at: str = Field(description="ISO 8601 with an offset.")
    point: str | None = Field(
        default=None,
        description="`order.delivery_changed`: the pickup point the customer chose, as the "
        "carrier describes it.",
    )
    point_ref: str | None = Field(
        default=None,
        description="`order.delivery_changed`: the carrier's id of that point (Nova Poshta's "
        "warehouse `Ref`, for the waybill's `RecipientWarehouse`).",
    )
    storage_free_until: str | None = Field(
        default=None,
        description="Only in `shipment.storage_extended`: the new last free day, `YYYY-MM-DD`.",
    )
    storage_extension_cost: str | None = Field(
        default=None,
        description=(
            "Only in `shipment.storage_extended`: what the carrier charges for it, a decimal "
            "string in UAH; null when the carrier did not say."
        ),
    )


class EventListOut(Page):
    events: list[ShopEventOut] = Field(
        description="In the order they were committed, oldest first."
    )


async def list_events(request: web.Request) -> web.Response:
    params = parse_model(EventListQuery, query_of(request))
    page = await events_after(request.app[DB], params.after or EventPosition.start(), params.limit)
    body = {
        "events": page.events,
        "next_after": event_cursor(page.last),
        "has_more": page.has_more,
    }
    return json_response(body)  # each event byte for byte as its webhook carries it
