"""The shop's order endpoints. Thin: parse the request, call one service, serialise the order."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from bot.services.intake import intake_order
from bot.services.shop_status import order_with_history, orders_changed, set_status_by_shop
from bot.web.body import parse_model, read_model
from bot.web.cursors import OrderKey, order_cursor
from bot.web.jsonio import json_response
from bot.web.keys import DB, SERVICE_CONTEXT
from bot.web.order_lists import OrderListOut, OrderListQuery
from bot.web.pages import query_of
from bot.web.paths import stored_name
from bot.web.reads import order_shipment
from bot.web.schemas import OrderIn, StatusIn
from bot.web.serializers import (
    order_created_json,
    order_json,
    order_out,
    order_with_history_json,
)

ORDER_ROUTE = "order"


async def create_order(request: web.Request) -> web.Response:
    """201 with the new order; 200 with the stored one when ``external_id`` was seen before."""
    payload = await read_model(request, OrderIn)
    db, ctx = request.app[DB], request.app[SERVICE_CONTEXT]
    result = await intake_order(db, ctx, payload.to_new_order())
    # A new order has no parcel yet; a retried one may have been shipped meanwhile.
    shipment = None if result.created else await order_shipment(db, result.order.id)
    return json_response(
        order_created_json(result.order, ctx, shipment, result.risk),
        status=201 if result.created else 200,
        headers={"Location": order_location(request, result.order.external_id)},
    )


def order_location(request: web.Request, external_id: str) -> str:
    """The order's URL. ``url_for`` would leave a ``/`` in the id unescaped: quote it all."""
    template = request.app.router[ORDER_ROUTE].canonical
    return template.format(external_id=quote(external_id, safe=""))


async def get_order(request: web.Request) -> web.Response:
    """The order, its parcel and its status history."""
    db = request.app[DB]
    order, events = await order_with_history(db, stored_name(request, "external_id"))
    shipment = await order_shipment(db, order.id)
    return json_response(
        order_with_history_json(order, events, request.app[SERVICE_CONTEXT], shipment)
    )


async def set_status(request: web.Request) -> web.Response:
    """The shop moves the order; 409 (with the current status) if the move is not allowed."""
    payload = await read_model(request, StatusIn)
    db, ctx = request.app[DB], request.app[SERVICE_CONTEXT]
    order = await set_status_by_shop(
        db,
        ctx,
        stored_name(request, "external_id"),
        payload.status,
        payload.comment_or_none,
        occurred_at=payload.occurred_at,
    )
    return json_response(order_json(order, ctx, await order_shipment(db, order.id)))


async def list_changed(request: web.Request) -> web.Response:
    """``?changed_since=<ISO 8601>&after=<cursor>&limit=N``: by (updated_at, id)."""
    params = parse_model(OrderListQuery, query_of(request))
    after = params.after or params.start()
    page = await orders_changed(
        request.app[DB],
        since=params.changed_since,
        after=(after.updated_at, after.id),
        limit=params.limit,
    )
    ctx = request.app[SERVICE_CONTEXT]
    if page.orders:
        last = page.orders[-1][0]
        after = OrderKey(updated_at=last.updated_at, id=last.id)
    listed = OrderListOut(
        orders=[order_out(order, ctx, shipment) for order, shipment in page.orders],
        next_after=order_cursor(after),
        has_more=page.has_more,
    )
    return json_response(listed.model_dump(mode="json"))
