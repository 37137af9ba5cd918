"""What fuzzing the shop API found (tests/api/test_schemathesis.py), one example each.

Each was a 500 (or an answer the OpenAPI document contradicts) for input a shop can send. Now the
shop gets the 4xx the document promises, and nothing is stored.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from aiohttp.test_utils import TestClient

from bot.services.context import ServiceContext
from storage.uow import Database
from tests.api.conftest import AUTH, create, order_payload, row_counts
from tests.services.returns.helpers import Outbox, history, stored, submitted_return


async def error_of(response) -> dict[str, str]:
    body = await response.json()
    return body["error"]


@pytest.mark.parametrize("number", ["R-2147483648", "r-999999999999"])
async def test_a_return_number_past_the_id_range_is_404_not_500(
    client: TestClient, db: Database, ctx: ServiceContext, number: str
) -> None:
    # PostgreSQL refused the id as a 32-bit integer parameter: a 500 for a well-formed number.
    return_ = await submitted_return(db, ctx)
    box = Outbox(db)
    await box.skip()

    read = await client.get(f"/api/v1/returns/{number}", headers=AUTH)
    moved = await client.post(
        f"/api/v1/returns/{number}/status", json={"status": "approved"}, headers=AUTH
    )

    for response in (read, moved):
        assert response.status == 404
        error = await error_of(response)
        assert error["code"] == "not_found" and number in error["message"]
    assert (await stored(db, return_.id)).status == "requested"
    assert await box.new() == []


@pytest.mark.parametrize("padded", ["R-000001%20", "%20R-000001", "R-000001%0A"])
async def test_a_return_number_with_spaces_around_it_names_nothing(
    client: TestClient, db: Database, ctx: ServiceContext, padded: str
) -> None:
    # The document's pattern has no room for spaces; the API stripped them and moved the return.
    return_ = await submitted_return(db, ctx)
    assert return_.id == 1
    before = await history(db, return_.id)

    read = await client.get(f"/api/v1/returns/{padded}", headers=AUTH)
    moved = await client.post(
        f"/api/v1/returns/{padded}/status", json={"status": "approved"}, headers=AUTH
    )

    assert (read.status, moved.status) == (404, 404)
    assert (await error_of(moved))["code"] == "not_found"
    assert (await stored(db, return_.id)).status == "requested"
    assert await history(db, return_.id) == before


async def test_a_nul_in_an_order_id_is_404_not_500(client: TestClient, db: Database) -> None:
    # PostgreSQL refuses a NUL byte in a query parameter: every lookup by external_id was a 500.
    assert (await create(client, order_payload())).status == 201
    before = await row_counts(db)

    read = await client.get("/api/v1/orders/A-1001%00", headers=AUTH)
    moved = await client.post(
        "/api/v1/orders/A-1001%00/status", json={"status": "cancelled"}, headers=AUTH
    )
    shipped = await client.post(
        "/api/v1/orders/A-1001%00/shipment",
        json={"carrier": "nova_poshta", "tracking_number": "20450000000000"},
        headers=AUTH,
    )

    for response in (read, moved, shipped):
        assert response.status == 404
        error = await error_of(response)
        assert error == {
            "code": "not_found",
            "message": "No order with external_id 'A-1001\\x00'",
            "fields": [],
        }
    assert await row_counts(db) == before
    order = await client.get("/api/v1/orders/A-1001", headers=AUTH)
    assert (await order.json())["status"] == "new"


async def test_a_nul_in_a_waybill_is_404_not_500(client: TestClient, db: Database) -> None:
    assert (await create(client, order_payload())).status == 201
    await client.post("/api/v1/orders/A-1001/status", json={"status": "confirmed"}, headers=AUTH)
    waybill = {"carrier": "nova_poshta", "tracking_number": "20450000000000"}
    attached = await client.post("/api/v1/orders/A-1001/shipment", json=waybill, headers=AUTH)
    assert attached.status == 201
    before = await row_counts(db)

    event = await client.post(
        "/api/v1/shipments/20450000000000%00/events", json={"status": "arrived"}, headers=AUTH
    )

    assert event.status == 404
    error = await error_of(event)
    assert error["code"] == "not_found" and "20450000000000\\x00" in error["message"]
    assert await row_counts(db) == before
    order = await client.get("/api/v1/orders/A-1001", headers=AUTH)
    assert (await order.json())["shipment"]["status"] is None


async def test_the_documented_largest_amount_is_accepted_and_a_cent_more_is_422(
    client: TestClient, db: Database
) -> None:
    # The document gave no maximum, so generated amounts far past what the column holds were
    # "valid"; it now says the largest amount, which the API takes.
    document = await (await client.get("/api/v1/openapi.json")).json()
    price = document["components"]["schemas"]["ItemIn"]["properties"]["price"]
    largest = Decimal(str(price["anyOf"][0]["maximum"]))
    item = {"name": "Шуба", "quantity": 1, "price": f"{largest}"}

    too_much = await create(
        client,
        order_payload(external_id="A-1", items=[{**item, "price": f"{largest + Decimal('0.01')}"}]),
    )
    assert too_much.status == 422
    assert [field["field"] for field in (await error_of(too_much))["fields"]] == ["items.0.price"]
    assert (await row_counts(db))["orders"] == 0

    taken = await create(client, order_payload(external_id="A-2", items=[item], total=f"{largest}"))
    assert taken.status == 201
    body = await taken.json()
    assert (body["items"][0]["price"], body["total"]) == ("9999999999.99", "9999999999.99")
