"""The shop reads and moves returns: list with a status filter, one with its history, moves by the
same table as the managers' chat (409 naming the current status, 404, 422 naming fields)."""

from __future__ import annotations

from datetime import timedelta

from aiohttp.test_utils import TestClient

from bot.clock import ManualClock
from bot.domain.return_desk import DeskStep
from bot.domain.returns import ReturnStatus
from bot.domain.shipments import ShipmentStatus
from bot.services.context import ServiceContext
from bot.services.returns import desk as return_desk
from storage.uow import Database
from tests.api.conftest import AUTH
from tests.factories import MANAGER, OLENA
from tests.services.returns.helpers import (
    MASKED_IBAN,
    Outbox,
    hooks,
    stored,
    submitted_return,
    to_chat,
)


def number(return_) -> str:
    return f"R-{return_.id:06d}"


async def test_list_with_a_status_filter(
    client: TestClient, db: Database, ctx: ServiceContext, clock: ManualClock
) -> None:
    first = await submitted_return(db, ctx, external_id="A-1")
    clock.advance(timedelta(minutes=5))
    second = await submitted_return(db, ctx, external_id="A-2")
    await return_desk.take(db, ctx, second.id, DeskStep.approve, MANAGER)

    everything = await client.get("/api/v1/returns", headers=AUTH)
    assert everything.status == 200
    assert [one["number"] for one in (await everything.json())["returns"]] == [
        number(first),
        number(second),
    ]
    waiting = await client.get("/api/v1/returns?status=requested", headers=AUTH)
    [only] = (await waiting.json())["returns"]
    assert (only["number"], only["status"], only["order"]) == (number(first), "requested", "A-1")
    both = await client.get("/api/v1/returns?status=approved,requested&limit=1", headers=AUTH)
    assert [one["number"] for one in (await both.json())["returns"]] == [number(first)]

    bad = await client.get("/api/v1/returns?status=lost&limit=0&sort=age", headers=AUTH)
    assert bad.status == 422
    fields = {item["field"] for item in (await bad.json())["error"]["fields"]}
    assert fields == {"status.0", "limit", "sort"}


async def test_one_with_its_history_and_the_iban_masked(
    client: TestClient, db: Database, ctx: ServiceContext
) -> None:
    return_ = await submitted_return(db, ctx)
    await return_desk.take(db, ctx, return_.id, DeskStep.ask, MANAGER, note="Є фото бирки?")

    response = await client.get(f"/api/v1/returns/{number(return_)}", headers=AUTH)

    assert response.status == 200
    body = await response.json()
    assert body["number"] == number(return_) and body["status"] == "info_requested"
    assert body["customer"] == {"phone": "+380501234567", "name": "Олена Коваль"}
    assert body["items"] == [
        {"sku": "TSHIRT-M", "name": "Футболка M", "quantity": 1, "price": "450.00"}
    ]
    assert (body["reason"], body["resolution"]) == ("size", "iban")
    assert body["iban"] == MASKED_IBAN
    assert body["parcel"] == {"carrier": "nova_poshta", "waybill": None, "status": None}
    assert body["manager_note"] == "Є фото бирки?"
    assert [
        (e["from_status"], e["to_status"], e["source"], e["actor"]) for e in body["history"]
    ] == [
        (None, "requested", "customer", OLENA.full_name),
        ("requested", "info_requested", "manager", MANAGER.full_name),
    ]
    assert body["history"][1]["comment"] == "Є фото бирки?"
    lower = await client.get(f"/api/v1/returns/r{return_.id}", headers=AUTH)
    assert (await lower.json())["number"] == number(return_)

    for unknown in ("R-999999", "A-1001"):
        missing = await client.get(f"/api/v1/returns/{unknown}", headers=AUTH)
        assert missing.status == 404
        error = (await missing.json())["error"]
        assert error["code"] == "not_found" and unknown in error["message"]


async def test_moves_follow_the_table(
    client: TestClient, db: Database, ctx: ServiceContext
) -> None:
    return_ = await submitted_return(db, ctx)
    url = f"/api/v1/returns/{number(return_)}/status"
    box = Outbox(db)
    await box.skip()

    forbidden = await client.post(
        url, json={"status": "refunded", "refund_amount": "100.00"}, headers=AUTH
    )
    assert forbidden.status == 409
    error = (await forbidden.json())["error"]
    assert (error["code"], error["current_status"]) == ("conflict", "requested")
    assert "requested" in error["message"]

    missing = await client.post(url, json={"status": "rejected"}, headers=AUTH)
    assert missing.status == 422
    assert [f["field"] for f in (await missing.json())["error"]["fields"]] == ["comment"]
    wrong = await client.post(
        url, json={"status": "approved", "waybill": "1", "colour": "red"}, headers=AUTH
    )
    assert wrong.status == 422
    assert {f["field"] for f in (await wrong.json())["error"]["fields"]} == {"colour"}
    extra = await client.post(url, json={"status": "approved", "waybill": "1"}, headers=AUTH)
    assert [f["field"] for f in (await extra.json())["error"]["fields"]] == ["waybill"]
    unknown = await client.post(
        "/api/v1/returns/R-999999/status", json={"status": "approved"}, headers=AUTH
    )
    assert unknown.status == 404
    assert await box.new() == []
    assert (await stored(db, return_.id)).status == "requested"

    approved = await client.post(url, json={"status": "approved"}, headers=AUTH)
    assert approved.status == 200
    assert (await approved.json())["status"] == "approved"
    rows = await box.new()
    assert to_chat(rows, OLENA.id) and hooks(rows) == []  # the customer hears; the shop knows

    bad_waybill = await client.post(url, json={"status": "shipped", "waybill": "12"}, headers=AUTH)
    assert bad_waybill.status == 409  # the document cannot know the order's carrier
    assert (await bad_waybill.json())["error"]["code"] == "return_mismatch"
    assert (await bad_waybill.json())["error"]["fields"][0]["field"] == "waybill"
    shipped = await client.post(
        url, json={"status": "shipped", "waybill": "5900 0123 4567 89"}, headers=AUTH
    )
    assert (await shipped.json())["parcel"]["waybill"] == "59000123456789"

    event = await client.post(
        "/api/v1/shipments/59000123456789/events", json={"status": "arrived"}, headers=AUTH
    )
    assert event.status == 200
    body = await event.json()
    assert body["applied"] is True
    assert (body["shipment"]["tracking_number"], body["shipment"]["status"]) == (
        "59000123456789",
        ShipmentStatus.arrived.value,
    )
    assert body["shipment"]["order"] == "A-1001"
    assert (await stored(db, return_.id)).status == "received"
    assert [hook["event"] for hook in hooks(await box.new())][-1] == "return.received"

    await client.post(url, json={"status": "accepted"}, headers=AUTH)
    too_much = await client.post(
        url, json={"status": "refunded", "refund_amount": "900.01"}, headers=AUTH
    )
    assert too_much.status == 409  # nor the order's total
    assert (await too_much.json())["error"]["code"] == "return_mismatch"
    assert (await too_much.json())["error"]["fields"][0]["field"] == "refund_amount"
    refunded = await client.post(
        url, json={"status": "refunded", "refund_amount": 450}, headers=AUTH
    )
    assert refunded.status == 200
    body = await refunded.json()
    assert (body["status"], body["refund_amount"], body["currency"]) == (
        "refunded",
        "450.00",
        "UAH",
    )


async def test_openapi_describes_the_return_routes(client: TestClient) -> None:
    document = await (await client.get("/api/v1/openapi.json")).json()
    schemas = document["components"]["schemas"]
    variants = schemas["ReturnStatusIn"]["oneOf"]  # one per set of fields a status needs
    for variant in variants:
        assert set(variant["properties"]) == {"status", "comment", "refund_amount", "waybill"}
        assert variant["additionalProperties"] is False
    statuses = [
        status for variant in variants for status in variant["properties"]["status"]["enum"]
    ]
    assert sorted(statuses) == sorted(status.value for status in ReturnStatus)
    move = document["paths"]["/api/v1/returns/{number}/status"]["post"]
    assert {"200", "404", "409", "422"} <= set(move["responses"])
    assert "`accepted → refunded`" in move["description"]
    listing = document["paths"]["/api/v1/returns"]["get"]
    assert [p["name"] for p in listing["parameters"]] == ["status", "after", "limit"]


async def test_every_return_route_wants_the_token(client: TestClient) -> None:
    for method, path in (
        ("GET", "/api/v1/returns"),
        ("GET", "/api/v1/returns/R-000001"),
        ("POST", "/api/v1/returns/R-000001/status"),
    ):
        response = await client.request(method, path, json={"status": "approved"})
        assert response.status == 401, path
        assert (await response.json())["error"]["code"] == "unauthorized"


async def test_a_repeated_move_is_no_error_unless_its_data_differs(
    client: TestClient, db: Database, ctx: ServiceContext
) -> None:
    return_ = await submitted_return(db, ctx)
    url = f"/api/v1/returns/{number(return_)}/status"
    await client.post(url, json={"status": "approved"}, headers=AUTH)
    box = Outbox(db)
    await box.skip()

    again = await client.post(url, json={"status": "approved"}, headers=AUTH)
    assert again.status == 200
    assert (await again.json())["status"] == "approved"
    assert await box.new() == []  # the customer is not told twice

    await client.post(url, json={"status": "shipped", "waybill": "59000123456789"}, headers=AUTH)
    await box.skip()
    same = await client.post(
        url, json={"status": "shipped", "waybill": "5900 0123 4567 89"}, headers=AUTH
    )
    assert same.status == 200
    other = await client.post(
        url, json={"status": "shipped", "waybill": "59000123456790"}, headers=AUTH
    )
    assert other.status == 409
    assert await box.new() == []
    assert (await stored(db, return_.id)).waybill == "59000123456789"
