"""``DELETE /api/v1/customers/{phone}``: the shop erases a customer, through the real app."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from bot.services.context import ServiceContext
from storage.uow import Database
from tests.api.conftest import AUTH
from tests.erasure_scan import traces
from tests.services.test_forget import figures, olena_with_history

URL = "/api/v1/customers/{phone}"


@pytest.fixture
def ctx(ctx: ServiceContext, tmp_path: Path) -> ServiceContext:
    return replace(ctx, return_photos_dir=tmp_path / "photos")


async def test_the_shop_erases_a_customer_and_the_figures_stay(
    db: Database, ctx: ServiceContext, client: TestClient
) -> None:
    customer_id, folder = await olena_with_history(db, ctx)
    before = await figures(db, ctx)
    seen = await traces(db)

    refused = await client.delete(URL.format(phone="%2B380501234567"))
    assert refused.status == 401
    assert await traces(db) == seen

    response = await client.delete(URL.format(phone="%2B38%20050%20123-45-67"), headers=AUTH)

    assert response.status == 200
    assert await response.json() == {
        "customer_id": customer_id,
        "orders": 2,
        "open_orders": 1,
        "returns": 1,
    }
    assert await traces(db) == []
    assert not folder.exists()
    assert await figures(db, ctx) == before
    order = await client.get("/api/v1/orders/A-1001", headers=AUTH)
    assert (await order.json())["status"] == "received"

    again = await client.delete(URL.format(phone="%2B380501234567"), headers=AUTH)
    assert again.status == 404
    assert (await again.json())["error"]["code"] == "not_found"


async def test_an_invalid_phone_is_422_and_an_unknown_one_404(
    db: Database, ctx: ServiceContext, client: TestClient
) -> None:
    await olena_with_history(db, ctx)
    seen = await traces(db)

    invalid = await client.delete(URL.format(phone="12345"), headers=AUTH)
    unknown = await client.delete(URL.format(phone="%2B380671112233"), headers=AUTH)

    assert invalid.status == 422
    assert (await invalid.json())["error"]["fields"] == [
        {"field": "phone", "message": "not a valid phone number"}
    ]
    assert unknown.status == 404
    assert await traces(db) == seen
