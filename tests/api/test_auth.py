"""Only the shop, with its bearer token, may use the API."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from storage.uow import Database
from tests.api.conftest import AUTH, NOTHING, TOKEN, ClientFactory, order_payload, row_counts

CALLS = [
    ("POST", "/api/v1/orders"),
    ("GET", "/api/v1/orders/A-1001"),
    ("POST", "/api/v1/orders/A-1001/status"),
    ("POST", "/api/v1/orders/A-1001/shipment"),
    ("POST", "/api/v1/shipments/20450000000000/events"),
]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no header"),
        pytest.param({"Authorization": "Bearer wrong-token"}, id="wrong token"),
        pytest.param({"Authorization": f"Bearer {TOKEN}x"}, id="token plus a char"),
        pytest.param({"Authorization": f"Bearer {TOKEN[:-1]}"}, id="token prefix"),
        pytest.param({"Authorization": f"Basic {TOKEN}"}, id="other scheme"),
        pytest.param({"Authorization": TOKEN}, id="no scheme"),
        pytest.param({"Authorization": "Bearer "}, id="empty token"),
        pytest.param({"Authorization": "Bearer токен"}, id="non-ASCII token"),
    ],
)
@pytest.mark.parametrize(("method", "path"), CALLS)
async def test_without_the_right_token_it_is_401(
    client: TestClient, db: Database, headers: dict[str, str], method: str, path: str
) -> None:
    response = await client.request(method, path, json=order_payload(), headers=headers)

    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert (await response.json())["error"]["code"] == "unauthorized"
    assert await row_counts(db) == NOTHING


async def test_scheme_is_case_insensitive(client: TestClient) -> None:
    response = await client.post(
        "/api/v1/orders", json=order_payload(), headers={"Authorization": f"bearer {TOKEN}"}
    )
    assert response.status == 201


@pytest.mark.parametrize("configured", [None, "", "   "])
@pytest.mark.parametrize(("method", "path"), CALLS)
async def test_without_a_configured_token_every_call_is_401(
    make_client: ClientFactory, db: Database, configured: str | None, method: str, path: str
) -> None:
    client = await make_client(shop_api_token=configured)

    response = await client.request(method, path, json=order_payload(), headers=AUTH)

    assert response.status == 401
    error = (await response.json())["error"]
    assert error["code"] == "unauthorized"
    assert "not configured" in error["message"]
    assert await row_counts(db) == NOTHING


async def test_open_routes_need_no_token(make_client: ClientFactory) -> None:
    client = await make_client(shop_api_token=None)

    assert (await client.get("/healthz")).status == 200
    assert (await client.get("/api/v1/openapi.json")).status == 200
