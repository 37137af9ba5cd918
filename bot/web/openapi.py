"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 document of the shop API.

Schemas come from the very pydantic models that parse requests and shape responses, so they
cannot drift; the paths are written out here, and a test checks them against the router.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from aiohttp import web
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from bot.domain.new_order import PHONE_LENGTH
from bot.domain.returns import RETURN_MOVES, ReturnStatus
from bot.domain.webhook_secret import signing_key
from bot.web.cursors import EVENT_CURSOR, ORDER_CURSOR, RETURN_CURSOR, cursor_schema
from bot.web.customers_api import CustomerErasedOut
from bot.web.errors import ErrorBody
from bot.web.events_api import EventListOut, ShopEventOut
from bot.web.health import HealthOut
from bot.web.jsonio import json_response
from bot.web.keys import OPENAPI_DOCUMENT
from bot.web.openapi_rules import return_status_in, shipment_in
from bot.web.order_lists import OrderListOut
from bot.web.pages import limit_parameter
from bot.web.patterns import list_pattern
from bot.web.return_schemas import ReturnStatusIn
from bot.web.return_serializers import ReturnListOut, ReturnOut, ReturnWithHistoryOut
from bot.web.schemas import OrderIn, ShipmentEventIn, ShipmentIn, StatusIn
from bot.web.serializers import (
    OrderCreatedOut,
    OrderOut,
    OrderWithHistoryOut,
    ShipmentEventResultOut,
    ShipmentOut,
)
from bot.web.webhooks_api import RedeliveredOut

REF = "#/components/schemas/{model}"
JSON = "application/json"

_MODELS: tuple[tuple[type[BaseModel], JsonSchemaMode], ...] = (
    (OrderIn, "validation"),
    (StatusIn, "validation"),
    (ShipmentIn, "validation"),
    (ShipmentEventIn, "validation"),
    (ReturnStatusIn, "validation"),
    (OrderOut, "serialization"),
    (OrderCreatedOut, "serialization"),
    (OrderWithHistoryOut, "serialization"),
    (ShipmentOut, "serialization"),
    (ShipmentEventResultOut, "serialization"),
    (ReturnOut, "serialization"),
    (ReturnWithHistoryOut, "serialization"),
    (ReturnListOut, "serialization"),
    (OrderListOut, "serialization"),
    (EventListOut, "serialization"),
    (ShopEventOut, "serialization"),
    (CustomerErasedOut, "serialization"),
    (RedeliveredOut, "serialization"),
    (ErrorBody, "serialization"),
    (HealthOut, "serialization"),
)

_ERRORS: dict[int, str] = {
    400: "The body is not JSON or not a JSON object (`bad_json`).",
    401: "No or wrong bearer token, or no token configured (`unauthorized`).",
    404: "No such order or route (`not_found`).",
    409: "The order cannot move to that status (`conflict`); `current_status` says where it is.",
    413: "The body is larger than 1 MiB (`payload_too_large`).",
    422: "Missing or invalid fields (`validation_failed`); `fields` names every one of them.",
    500: "Unexpected failure (`internal_error`); nothing was stored.",
}


class WebhookSigning(StrEnum):
    """How the webhooks to the shop are signed (SHOP_WEBHOOK_SECRET), as the document says."""

    standard = "standard"  # a whsec_ secret: Standard Webhooks headers (and the legacy one)
    legacy = "legacy"  # an older plain secret: only the deprecated X-Vykup-Signature
    none = "none"  # no secret: unsigned


def signing_of(secret: str | None) -> WebhookSigning:
    """What SHOP_WEBHOOK_SECRET (already checked by the settings) makes of the signatures."""
    if not secret:
        return WebhookSigning.none
    return WebhookSigning.standard if signing_key(secret) is not None else WebhookSigning.legacy


_SIGNING_TEXT: dict[WebhookSigning, str] = {
    WebhookSigning.standard: (
        "Webhooks are signed the Standard Webhooks way: `webhook-id` (the event's `id`), "
        "`webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "
        '"id.timestamp.body">`, keyed by SHOP_WEBHOOK_SECRET; verify the raw body. The '
        "deprecated `X-Vykup-Signature` is sent too."
    ),
    WebhookSigning.legacy: (
        "Webhooks carry only the deprecated `X-Vykup-Signature: sha256=<hex HMAC-SHA256 of the "
        "body>` (SHOP_WEBHOOK_SECRET is not a `whsec_` secret): a replayed delivery still "
        "verifies. Set a `whsec_` secret to get Standard Webhooks signatures."
    ),
    WebhookSigning.none: (
        "Webhooks are NOT signed: SHOP_WEBHOOK_SECRET is not set, so a receiver cannot tell "
        "Vykup's deliveries from anyone's. Set a `whsec_` secret, or read the events with "
        "`GET /api/v1/events` (bearer token) instead."
    ),
}


def build_document(*, webhook_signing: WebhookSigning = WebhookSigning.standard) -> dict[str, Any]:
    _, top = models_json_schema(_MODELS, ref_template=REF)
    schemas = top.get("$defs", {})
    schemas["ShipmentIn"] = shipment_in(schemas["ShipmentIn"])
    schemas["ReturnStatusIn"] = return_status_in(schemas["ReturnStatusIn"])
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Vykup shop API",
            "version": "1.0.0",
            "description": (
                "Send cash-on-delivery orders to the Vykup bot, move them, attach waybills, "
                "report what the parcels do, read it all back. "
                'Every error is `{"error": {"code", "message", "fields"}}`; '
                "a request that fails stores nothing. "
                "Events go back to the shop as webhooks (`webhooks` below) and can be read "
                "again, or instead, with `GET /api/v1/events`. "
                f"{_SIGNING_TEXT[webhook_signing]}"
            ),
            "x-webhook-signing": webhook_signing.value,
        },
        "security": [{"bearerAuth": []}],
        "paths": {**_paths(), **_customer_paths(), **_redelivery_paths()},
        "webhooks": _webhooks(webhook_signing),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Authorization: Bearer <SHOP_API_TOKEN>",
                }
            },
        },
    }


async def serve(request: web.Request) -> web.Response:
    document = request.app[OPENAPI_DOCUMENT]
    return json_response(document)


def _paths() -> dict[str, Any]:
    external_id = {
        "name": "external_id",
        "in": "path",
        "required": True,
        "description": "The shop's order id (URL-encoded).",
        "schema": {"type": "string", "minLength": 1, "maxLength": 64},
    }
    tracking_number = {
        "name": "tracking_number",
        "in": "path",
        "required": True,
        "description": "The waybill number as attached (URL-encoded).",
        "schema": {"type": "string", "minLength": 1, "maxLength": 40},
    }
    return {
        "/api/v1/orders": {
            "post": {
                "operationId": "createOrder",
                "summary": "Create an order (idempotent by external_id)",
                "description": (
                    "The same order sent again (a retry) is answered with the stored one. A "
                    "different body under a stored `external_id` is refused with 409 "
                    "`order_exists_with_different_data`, its `fields` naming what differs, and "
                    "changes nothing: move an order with `/status` and `/shipment`; to change "
                    "its contents or recipient, cancel it and send it under a new `external_id`."
                ),
                "requestBody": _body("OrderIn"),
                "responses": {
                    "201": _json(
                        "The order was created, with the customer's rating.",
                        "OrderCreatedOut",
                        location=True,
                    ),
                    "200": _json(
                        "This very order was stored before; it is returned unchanged.",
                        "OrderCreatedOut",
                        location=True,
                    ),
                    **_errors(
                        400,
                        401,
                        409,
                        413,
                        422,
                        500,
                        described={
                            409: "`order_exists_with_different_data`: another order has this "
                            "external_id; `fields` names every field that differs."
                        },
                    ),
                },
            },
            "get": {
                "operationId": "listChangedOrders",
                "summary": "Orders changed since a moment, by (updated_at, id), page by page",
                "description": (
                    "An order that changes again while you page moves to the end and comes "
                    "again there; none is skipped. Keep the last `next_after` to ask later "
                    "what changed since."
                ),
                "parameters": [
                    {
                        "name": "changed_since",
                        "in": "query",
                        "required": False,
                        "description": "Only orders changed at or after this moment "
                        "(ISO 8601 with an offset, e.g. 2026-11-20T10:00:00+02:00).",
                        "schema": {"type": "string", "format": "date-time"},
                    },
                    _after(ORDER_CURSOR, "orders"),
                    limit_parameter(),
                ],
                "responses": {
                    "200": _json("The orders, and the cursor of the next page.", "OrderListOut"),
                    **_errors(
                        401,
                        422,
                        500,
                        described={
                            422: "A bad `changed_since`, `limit` or `after` "
                            "(`validation_failed`, naming it)."
                        },
                    ),
                },
            },
        },
        "/api/v1/orders/{external_id}": {
            "get": {
                "operationId": "getOrder",
                "summary": "The order with its status history",
                "parameters": [external_id],
                "responses": {
                    "200": _json("The order.", "OrderWithHistoryOut"),
                    **_errors(401, 404, 500),
                },
            }
        },
        "/api/v1/orders/{external_id}/status": {
            "post": {
                "operationId": "setOrderStatus",
                "summary": "Move the order to another status",
                "parameters": [external_id],
                "requestBody": _body("StatusIn"),
                "responses": {
                    "200": _json("The order after the change.", "OrderOut"),
                    **_errors(400, 401, 404, 409, 413, 422, 500),
                },
            }
        },
        "/api/v1/orders/{external_id}/shipment": {
            "post": {
                "operationId": "attachShipment",
                "summary": "Attach a waybill; the order becomes shipped (idempotent)",
                "description": (
                    "The order must allow `shipped` (e.g. be `confirmed`). The customer is told "
                    "in the chat. Attaching the same waybill again changes nothing."
                ),
                "parameters": [external_id],
                "requestBody": _body("ShipmentIn"),
                "responses": {
                    "201": _json("The waybill was attached.", "ShipmentOut", location=True),
                    "200": _json(
                        "This waybill was attached to this order before; nothing changed.",
                        "ShipmentOut",
                        location=True,
                    ),
                    **_errors(
                        400,
                        401,
                        404,
                        409,
                        413,
                        422,
                        500,
                        described={
                            409: "`conflict`: the order cannot be shipped now (`current_status` "
                            "says where it is), or it has another waybill, or the waybill "
                            "belongs to another order.",
                            422: "Missing or invalid fields (`validation_failed`), including a "
                            "`tracking_number` that does not fit the carrier's format.",
                        },
                    ),
                },
            }
        },
        "/api/v1/shipments/{tracking_number}/events": {
            "post": {
                "operationId": "recordShipmentEvent",
                "summary": "Report what the parcel did; the order follows",
                "description": (
                    "Only `status` is required; a field left out keeps what is stored. A repeated "
                    "or older event is not an error: the answer says `applied: false`, the "
                    "status stays and nobody is told. The waybill may also be a return "
                    "parcel's (the one a customer gave for a return): the event then applies "
                    "to the return, `shipment` describes that parcel and `order` is the order "
                    "whose items come back; `arrived` or `received` makes the return `received`."
                ),
                "parameters": [tracking_number],
                "requestBody": _body("ShipmentEventIn"),
                "responses": {
                    "200": _json(
                        "Whether the event was news, and the shipment now.",
                        "ShipmentEventResultOut",
                    ),
                    **_errors(
                        400,
                        401,
                        404,
                        413,
                        422,
                        500,
                        described={
                            404: "No shipment or return parcel with this waybill, or no such "
                            "route (`not_found`)."
                        },
                    ),
                },
            }
        },
        "/api/v1/events": {
            "get": {
                "operationId": "listEvents",
                "summary": "The events sent to the shop, oldest first, page by page (catch-up)",
                "description": (
                    "Each event exactly as its webhook carries it (the same `id`, `type` and "
                    "body), whether its delivery went through, waits, failed, or there is no "
                    "webhook at all (SHOP_WEBHOOK_URL unset). Kept as long as delivered "
                    "messages (DELIVERY_HISTORY_KEEP). Start without `after`, then send each "
                    "page's `next_after`; an empty page keeps the cursor where it was."
                ),
                "parameters": [_after(EVENT_CURSOR, "events"), limit_parameter()],
                "responses": {
                    "200": _json("The events, and the cursor of the next page.", "EventListOut"),
                    **_errors(401, 422, 500, described=_BAD_PAGE),
                },
            }
        },
        **_return_paths(),
        "/healthz": {
            "get": {
                "operationId": "health",
                "summary": "Liveness with a trivial database check",
                "security": [],
                "responses": {
                    "200": _json("The service and its database answer.", "HealthOut"),
                    "503": _json("The database does not answer.", "HealthOut"),
                },
            }
        },
        "/metrics": {
            "get": {
                "operationId": "metrics",
                "summary": "Prometheus metrics of this process (keep it internal)",
                "security": [],
                "responses": {
                    "200": {
                        "description": "Prometheus text exposition format.",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1 document.",
                        "content": {JSON: {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }


def _return_paths() -> dict[str, Any]:
    number = {
        "name": "number",
        "in": "path",
        "required": True,
        "description": "The return's number, e.g. R-000123.",
        "schema": {"type": "string", "pattern": "^[Rr]-?\\d{1,12}$"},
    }
    not_found = {404: "No return with this number, or no such route (`not_found`)."}
    return {
        "/api/v1/returns": {
            "get": {
                "operationId": "listReturns",
                "summary": "Returns, oldest first, optionally only some statuses, page by page",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "required": False,
                        "description": "Comma-separated statuses, e.g. `requested,received`.",
                        "schema": {
                            "type": "string",
                            "pattern": list_pattern([status.value for status in ReturnStatus]),
                        },
                    },
                    _after(RETURN_CURSOR, "returns"),
                    limit_parameter(),
                ],
                "responses": {
                    "200": _json("The returns, and the cursor of the next page.", "ReturnListOut"),
                    **_errors(
                        401,
                        422,
                        500,
                        described={
                            422: "An unknown status, a bad limit or a cursor this list did not "
                            "hand out (`validation_failed`, naming `status`, `limit` or `after`)."
                        },
                    ),
                },
            }
        },
        "/api/v1/returns/{number}": {
            "get": {
                "operationId": "getReturn",
                "summary": "The return with its history",
                "parameters": [number],
                "responses": {
                    "200": _json("The return.", "ReturnWithHistoryOut"),
                    **_errors(401, 404, 500, described=not_found),
                },
            }
        },
        "/api/v1/returns/{number}/status": {
            "post": {
                "operationId": "setReturnStatus",
                "summary": "Move the return, by the same rules as the managers' buttons",
                "description": (
                    f"Moves: {_return_moves()}. The customer is told in the chat and the "
                    "managers' card follows; the shop's webhook is not called for its own move."
                ),
                "parameters": [number],
                "requestBody": _body("ReturnStatusIn"),
                "responses": {
                    "200": _json("The return after the change.", "ReturnOut"),
                    **_errors(
                        400,
                        401,
                        404,
                        409,
                        413,
                        422,
                        500,
                        described={
                            **not_found,
                            409: "The return cannot move to that status (`conflict`; "
                            "`current_status` says where it is), or the body does not fit the "
                            "stored return (`return_mismatch`, naming the field): a "
                            "`refund_amount` above the order's total, a `waybill` not in the "
                            "order's carrier's format or already another parcel's.",
                            422: "Missing or invalid fields (`validation_failed`), including the "
                            "field a status needs (`comment`, `refund_amount`, `waybill`).",
                        },
                    ),
                },
            }
        },
    }


_BAD_PAGE = {
    422: "A bad limit, or a cursor this list did not hand out (`validation_failed`, naming "
    "`limit` or `after`)."
}


def _after(pattern: str, what: str) -> dict[str, Any]:
    return {
        "name": "after",
        "in": "query",
        "required": False,
        "description": f"The `next_after` of the previous page of {what}; left out: the oldest.",
        "schema": cursor_schema(pattern, what),
    }


def _webhooks(signing: WebhookSigning) -> dict[str, Any]:
    """What Vykup POSTs to SHOP_WEBHOOK_URL, and how (or whether) it is signed."""
    signed = signing is not WebhookSigning.none
    standard = signing is WebhookSigning.standard

    def header(name: str, description: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "header",
            "required": True,
            "description": description,
            "schema": {"type": "string"},
        }

    parameters = []
    if standard:
        parameters += [
            header("webhook-id", "The event's `id`, the same on every retry."),
            header("webhook-timestamp", "Unix seconds of this attempt."),
            header("webhook-signature", '`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.'),
        ]
    if signed:
        parameters.append(
            header("X-Vykup-Signature", "Deprecated: `sha256=<hex HMAC-SHA256 of the body>`.")
        )
    return {
        "shopEvent": {
            "post": {
                "operationId": "shopEvent",
                "summary": "An event for the shop" + ("" if signed else " (unsigned)"),
                "description": _SIGNING_TEXT[signing],
                "security": [],
                **({"parameters": parameters} if parameters else {}),
                "requestBody": {
                    "required": True,
                    "content": {JSON: {"schema": _ref("ShopEventOut")}},
                },
                "responses": {
                    "200": {"description": "Any 2xx: received (a repeated `id` too)."},
                    "410": {"description": "Gone: send no more of this delivery."},
                },
            }
        }
    }


def _redelivery_paths() -> dict[str, Any]:
    return {
        "/api/v1/webhooks/redeliver": {
            "post": {
                "operationId": "redeliverWebhooks",
                "summary": "Send again the deliveries Vykup gave up on",
                "description": (
                    "Deliveries the shop refused past WEBHOOK_GIVE_UP, or answered 410 Gone, are "
                    "marked failed. Once the endpoint works again, this queues every failed one "
                    "again (as `vykup webhooks --redeliver` does); the worker sends each with its "
                    "original `webhook-id`. Nothing failed: `queued` is 0. The same events can "
                    "also be read with GET /api/v1/events."
                ),
                "responses": {
                    "200": _json("How many were queued again.", "RedeliveredOut"),
                    **_errors(401, 500),
                },
            }
        }
    }


def _customer_paths() -> dict[str, Any]:
    phone = {
        "name": "phone",
        "in": "path",
        "required": True,
        "description": "The customer's phone in any spelling (URL-encoded: `%2B380501234567`).",
        "schema": {"type": "string", "format": "phone", "maxLength": PHONE_LENGTH},
    }
    return {
        "/api/v1/customers/{phone}": {
            "delete": {
                "operationId": "eraseCustomer",
                "summary": "Erase a customer's personal data",
                "description": (
                    "The customer's name, phone, Telegram link, IBANs and holder names, their "
                    "words, managers' notes, messages to or about them and return photos are "
                    "erased. Their orders and outcomes stay, anonymised (the name `—`, a "
                    "placeholder phone), so statistics stay true; orders still open are erased "
                    "too. Every order of the customer gets a `customer.erased` webhook event. "
                    "Once erased, the phone names nobody: asking again answers 404."
                ),
                "parameters": [phone],
                "responses": {
                    "200": _json("The customer was erased.", "CustomerErasedOut"),
                    **_errors(
                        401,
                        404,
                        422,
                        500,
                        described={
                            404: "No customer has this phone (`not_found`), or route unknown.",
                            422: "The phone is not a valid phone number (`validation_failed`).",
                        },
                    ),
                },
            }
        }
    }


def _return_moves() -> str:
    return ", ".join(
        f"`{status.value} → {' | '.join(sorted(target.value for target in targets))}`"
        for status, targets in RETURN_MOVES.items()
        if targets
    )


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def _body(model: str) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": _ref(model)}}}


def _json(description: str, model: str, *, location: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {JSON: {"schema": _ref(model)}},
    }
    if location:
        response["headers"] = {
            "Location": {
                "description": "Where to GET the order.",
                "schema": {"type": "string"},
            }
        }
    return response


def _errors(*statuses: int, described: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The error responses; ``described`` says more than the generic text for some of them."""
    texts = {**_ERRORS, **(described or {})}
    return {str(status): _json(texts[status], "ErrorBody") for status in statuses}
