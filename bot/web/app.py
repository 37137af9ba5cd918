"""The aiohttp application: one place that says which URL runs which handler."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiohttp import web

from bot.connectors.base import MAX_INBOUND_BYTES, Adapter, Platform
from bot.metrics import Metrics
from bot.services.context import ServiceContext
from bot.web import (
    connect_api,
    customers_api,
    events_api,
    health,
    openapi,
    orders_api,
    returns_api,
    shipments_api,
    webhooks_api,
)
from bot.web import metrics as metrics_routes
from bot.web.auth import bearer_required
from bot.web.body import MAX_API_BODY_BYTES
from bot.web.confirm_page.limits import PageLimits
from bot.web.confirm_page.routes import add_page_routes
from bot.web.errors import error_middleware
from bot.web.keys import ADAPTERS, DB, METRICS, OPENAPI_DOCUMENT, SERVICE_CONTEXT, SHOP_API_TOKEN
from storage.uow import Database

logger = logging.getLogger(__name__)


def create_web_app(
    db: Database,
    ctx: ServiceContext,
    *,
    shop_api_token: str | None,
    metrics: Metrics | None = None,
    shop_api: bool = True,
    webhook_signing: openapi.WebhookSigning = openapi.WebhookSigning.standard,
    adapters: Mapping[Platform, Adapter] | None = None,
    page_limits: PageLimits | None = None,
) -> web.Application:
    """The web application. Without ``shop_api_token`` every shop API call answers 401.

    ``shop_api=False`` (a worker process) serves only ``/healthz`` and ``/metrics``.
    ``webhook_signing``: how webhooks to the shop are signed, as the OpenAPI document says.
    ``page_limits``: the web confirmation page's rate limits (this process's own counters).
    """
    app = web.Application(
        client_max_size=max(MAX_API_BODY_BYTES, MAX_INBOUND_BYTES),
        middlewares=[metrics_routes.count_requests, error_middleware],
    )
    app[DB] = db
    app[SERVICE_CONTEXT] = ctx
    app[METRICS] = metrics or Metrics()
    app[SHOP_API_TOKEN] = (shop_api_token or "").strip() or None
    app[OPENAPI_DOCUMENT] = openapi.build_document(webhook_signing=webhook_signing)
    app[ADAPTERS] = dict(adapters or {})
    add_service_routes(app)
    if not shop_api:
        return app
    if app[SHOP_API_TOKEN] is None:
        logger.warning("SHOP_API_TOKEN is not set: the shop API answers 401 to every call")
    app.router.add_get("/api/v1/openapi.json", openapi.serve, name="openapi")
    add_shop_api_routes(app)
    # Platforms sign their deliveries themselves (or the address's key is the proof): no token.
    app.router.add_post(connect_api.ROUTE, connect_api.receive, name="connect")
    # Customers outside Telegram answer here; without WEB_LINK_SECRET it answers 404.
    add_page_routes(app, page_limits)
    return app


def add_service_routes(app: web.Application) -> None:
    """Open routes for load balancers and monitoring (keep /metrics internal: see README)."""
    app.router.add_get("/healthz", health.healthz, name="healthz")
    app.router.add_get("/metrics", metrics_routes.serve, name="metrics")


def add_shop_api_routes(app: web.Application) -> None:
    """The shop's API; every route needs ``Authorization: Bearer <SHOP_API_TOKEN>``."""
    router = app.router
    router.add_post("/api/v1/orders", bearer_required(orders_api.create_order), name="orders")
    router.add_get(
        "/api/v1/orders", bearer_required(orders_api.list_changed), name="orders-changed"
    )
    router.add_get("/api/v1/events", bearer_required(events_api.list_events), name="events")
    router.add_get(
        "/api/v1/orders/{external_id}",
        bearer_required(orders_api.get_order),
        name=orders_api.ORDER_ROUTE,
    )
    router.add_post(
        "/api/v1/orders/{external_id}/status",
        bearer_required(orders_api.set_status),
        name="order-status",
    )
    router.add_post(
        "/api/v1/orders/{external_id}/shipment",
        bearer_required(shipments_api.attach),
        name="order-shipment",
    )
    router.add_post(
        "/api/v1/shipments/{tracking_number}/events",
        bearer_required(shipments_api.record_event),
        name="shipment-events",
    )
    router.add_get("/api/v1/returns", bearer_required(returns_api.list_all), name="returns")
    router.add_get(
        "/api/v1/returns/{number}",
        bearer_required(returns_api.get_one),
        name=returns_api.RETURN_ROUTE,
    )
    router.add_post(
        "/api/v1/returns/{number}/status",
        bearer_required(returns_api.set_status),
        name="returns-status",
    )
    router.add_delete(
        "/api/v1/customers/{phone}", bearer_required(customers_api.erase), name="customer"
    )
    router.add_post(
        "/api/v1/webhooks/redeliver",
        bearer_required(webhooks_api.redeliver),
        name="webhooks-redeliver",
    )
