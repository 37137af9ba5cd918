"""Typed keys for what the web application carries: set once in ``create_web_app``."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.connectors.base import Adapter, Platform
from bot.metrics import Metrics
from bot.services.context import ServiceContext
from storage.uow import Database

DB = web.AppKey("db", Database)
SERVICE_CONTEXT = web.AppKey("service_context", ServiceContext)
# ``None`` means "not configured": every protected call answers 401.
SHOP_API_TOKEN: web.AppKey[str | None] = web.AppKey("shop_api_token")
OPENAPI_DOCUMENT: web.AppKey[dict[str, Any]] = web.AppKey("openapi_document")
METRICS = web.AppKey("metrics", Metrics)
# The connectors of the platforms a shop may connect (``/connect/<platform>/<key>``).
ADAPTERS: web.AppKey[dict[Platform, Adapter]] = web.AppKey("adapters")
