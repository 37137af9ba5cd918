"""Health, the OpenAPI document, and JSON for every error the application can give."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import ManualClock
from bot.services.context import ServiceContext
from bot.web.app import create_web_app
from storage.db import create_engine
from storage.uow import Database
from tests.api.conftest import AUTH, NOTHING, TOKEN, create, order_payload, row_counts

DOCUMENTED_METHODS = {"get", "post", "put", "patch", "delete"}


async def test_healthz(client: TestClient) -> None:
    response = await client.get("/healthz")

    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_healthz_is_503_when_the_database_is_down(
    ctx: ServiceContext, clock: ManualClock
) -> None:
    # Nothing listens on port 1: the connection is refused at once.
    down = Database(create_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none"), clock)
    app = create_web_app(down, ctx, shop_api_token=TOKEN)
    try:
        async with TestClient(TestServer(app)) as client:
            response = await client.get("/healthz")

            assert response.status == 503
            body = await response.json()
            assert body["status"] == "unavailable"
            assert body["error"]["code"] == "database_unavailable"
    finally:
        await down.dispose()


def _router_operations(app: web.Application) -> set[tuple[str, str]]:
    operations = set()
    for resource in app.router.resources():
        for route in resource:
            if route.method == "HEAD":  # aiohttp adds HEAD to every GET by itself
                continue
            if resource.canonical.startswith(("/connect/", "/c/", "/p/", "/t/")):
                # Platforms' webhooks in their own formats (README, "Connect your shop"), the
                # customers' web confirmation page and the short links of their Viber/SMS
                # messages: not the shop API, so not in its document.
                continue
            operations.add((resource.canonical, route.method.lower()))
    return operations


def _documented_operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in DOCUMENTED_METHODS
    }


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


async def test_openapi_document_matches_the_router(client: TestClient) -> None:
    response = await client.get("/api/v1/openapi.json")

    assert response.status == 200
    document = await response.json()
    assert document["openapi"].startswith("3.1")
    assert _documented_operations(document) == _router_operations(client.app)
    schemas = document["components"]["schemas"]
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/")
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Authorization: Bearer <SHOP_API_TOKEN>",
    }
    assert document["paths"]["/healthz"]["get"]["security"] == []
    assert "security" not in document["paths"]["/api/v1/orders"]["post"]  # the global one


async def test_openapi_request_schema_is_the_validating_one(client: TestClient) -> None:
    document = await (await client.get("/api/v1/openapi.json")).json()
    schemas = document["components"]["schemas"]

    order_in = schemas["OrderIn"]
    assert set(order_in["required"]) == {
        "external_id",
        "customer",
        "items",
        "total",
        "currency",
        "payment",
        "delivery",
    }
    assert order_in["additionalProperties"] is False
    assert order_in["properties"]["items"]["maxItems"] == 100
    assert schemas["ItemIn"]["properties"]["quantity"]["minimum"] == 1
    assert schemas["CustomerIn"]["properties"]["name"]["maxLength"] == 200
    assert schemas["StatusIn"]["properties"]["status"] == {
        "$ref": "#/components/schemas/OrderStatus"
    }
    assert "cancelled" in schemas["OrderStatus"]["enum"]
    create_responses = document["paths"]["/api/v1/orders"]["post"]["responses"]
    assert {"200", "201", "400", "401", "413", "422"} <= set(create_responses)
    assert schemas["OrderOut"]["properties"]["total"]["type"] == "string"


async def test_unknown_route_is_json_404(client: TestClient) -> None:
    response = await client.get("/nowhere", headers=AUTH)

    assert response.status == 404
    assert response.content_type == "application/json"
    assert (await response.json())["error"]["code"] == "not_found"


async def test_wrong_method_is_json_405(client: TestClient) -> None:
    response = await client.delete("/api/v1/orders/A-1001", headers=AUTH)

    assert response.status == 405
    assert response.content_type == "application/json"
    assert (await response.json())["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


async def test_unexpected_failure_is_a_generic_500_and_logged(
    client: TestClient,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*_args: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("bot.web.orders_api.intake_order", broken)

    with caplog.at_level(logging.ERROR, logger="bot.web.errors"):
        response = await create(client, order_payload())

    assert response.status == 500
    text = await response.text()
    assert "secret internal detail" not in text
    assert "Traceback" not in text
    assert (await response.json())["error"]["code"] == "internal_error"
    assert "secret internal detail" in caplog.text
    assert await row_counts(db) == NOTHING
