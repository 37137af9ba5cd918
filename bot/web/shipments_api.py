"""The shop's parcel endpoints: attach a waybill to an order, report what the parcel did."""

from __future__ import annotations

from aiohttp import web

from bot.domain.errors import NotFound
from bot.services.returns.tracking import record_parcel_event
from bot.services.shipments import (
    InvalidTrackingNumber,
    ShipmentConflict,
    attach_shipment,
    record_shipment_event,
)
from bot.web.body import read_model
from bot.web.errors import ApiError, FieldError
from bot.web.jsonio import json_response
from bot.web.keys import DB, SERVICE_CONTEXT
from bot.web.orders_api import order_location
from bot.web.paths import stored_name
from bot.web.return_serializers import return_parcel_event_json
from bot.web.schemas import ShipmentEventIn, ShipmentIn
from bot.web.serializers import shipment_event_json, shipment_json


async def attach(request: web.Request) -> web.Response:
    """201 with the new shipment; 200 when this very waybill was attached before."""
    payload = await read_model(request, ShipmentIn)
    external_id = stored_name(request, "external_id")
    try:
        result = await attach_shipment(
            request.app[DB],
            request.app[SERVICE_CONTEXT],
            external_id,
            payload.carrier,
            payload.tracking_number,
        )
    except InvalidTrackingNumber:
        raise invalid_tracking_number(payload) from None
    except ShipmentConflict:
        raise ApiError(
            409,
            "conflict",
            "The order already has another waybill, or this waybill belongs to another order. "
            "Nothing was changed.",
        ) from None
    return json_response(
        shipment_json(result.shipment, external_id),
        status=201 if result.created else 200,
        headers={"Location": order_location(request, external_id)},
    )


def invalid_tracking_number(payload: ShipmentIn) -> ApiError:
    message = f"{payload.tracking_number!r} is not a valid {payload.carrier} waybill number"
    return ApiError(
        422,
        "validation_failed",
        "Invalid or missing fields: tracking_number",
        fields=[FieldError(field="tracking_number", message=message)],
    )


async def record_event(request: web.Request) -> web.Response:
    """200 with ``applied`` false for a repeat or an older event: not an error, nothing changed.

    A waybill no shipment has may be a return parcel's: the event then applies to the return.
    """
    payload = await read_model(request, ShipmentEventIn)
    db, ctx = request.app[DB], request.app[SERVICE_CONTEXT]
    number, update = stored_name(request, "tracking_number"), payload.to_update()
    try:
        result = await record_shipment_event(db, ctx, number, update)
    except NotFound:
        returned = await record_parcel_event(db, ctx, number, update)
        if returned is None:
            raise
        return json_response(return_parcel_event_json(returned.return_, applied=returned.applied))
    return json_response(shipment_event_json(result.shipment, applied=result.applied))
