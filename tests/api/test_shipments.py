"""The shop attaches a waybill, then reports what the parcel does; the order follows."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import select, update

from bot.clock import ManualClock
from storage.models import OrderEvent, OutboxMessage, Shipment, ShipmentEvent, Timer
from storage.uow import Database
from tests.api.conftest import AUTH, create, order_payload, row_counts

WAYBILL = "20450000000000"
ARRIVED: dict[str, Any] = {
    "status": "arrived",
    "occurred_at": "2026-11-21T09:30:00+02:00",
    "storage_until": "2026-11-30",
    "point": "Відділення №12, вул. Хрещатик, 1",
    "expected_delivery": "2026-11-21",
    "cod_amount": "900.00",
    "can_extend_storage": True,
}
NOT_SHIPPED_YET = {
    "carrier": "nova_poshta",
    "tracking_number": WAYBILL,
    "status": None,
    "point": None,
    "expected_delivery": None,
    "storage_until": None,
    "cod_amount": None,
    "can_extend_storage": None,
    "arrived_at": None,
    "last_event_at": None,
    "order": "A-1001",
}


async def confirmed_order(client: TestClient, external_id: str = "A-1001") -> None:
    created = await create(client, order_payload(external_id=external_id))
    assert created.status == 201, await created.text()
    confirmed = await client.post(
        f"/api/v1/orders/{external_id}/status", json={"status": "confirmed"}, headers=AUTH
    )
    assert confirmed.status == 200, await confirmed.text()


async def attach(
    client: TestClient,
    tracking_number: Any = WAYBILL,
    *,
    external_id: str = "A-1001",
    carrier: Any = "nova_poshta",
) -> ClientResponse:
    return await client.post(
        f"/api/v1/orders/{external_id}/shipment",
        json={"carrier": carrier, "tracking_number": tracking_number},
        headers=AUTH,
    )


async def report(
    client: TestClient, event: dict[str, Any], tracking_number: str = WAYBILL
) -> ClientResponse:
    return await client.post(
        f"/api/v1/shipments/{tracking_number}/events", json=event, headers=AUTH
    )


async def shipped_order(client: TestClient) -> None:
    await confirmed_order(client)
    attached = await attach(client)
    assert attached.status == 201, await attached.text()


async def read_order(client: TestClient, external_id: str = "A-1001") -> dict[str, Any]:
    response = await client.get(f"/api/v1/orders/{external_id}", headers=AUTH)
    assert response.status == 200, await response.text()
    return await response.json()


async def stored_shipments(db: Database) -> list[Shipment]:
    async with db.uow() as uow:
        return list((await uow.session.scalars(select(Shipment).order_by(Shipment.id))).all())


async def side_effects(db: Database) -> dict[str, Any]:
    """Everything a parcel event may cause: messages queued, timers (re)armed, history written."""
    async with db.uow() as uow:
        session = uow.session
        outbox = (await session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id))).all()
        timers = (await session.execute(select(Timer.kind, Timer.due_at, Timer.done_at))).all()
        history = (await session.scalars(select(OrderEvent.id).order_by(OrderEvent.id))).all()
        events = (await session.scalars(select(ShipmentEvent.status))).all()
    return {
        "outbox": list(outbox),
        "timers": sorted(timers),
        "history": list(history),
        "shipment_events": sorted(events),
    }


# --- attaching a waybill --------------------------------------------------------------------


async def test_attach_ships_the_order(client: TestClient, db: Database) -> None:
    await confirmed_order(client)
    assert (await read_order(client))["shipment"] is None
    before = await row_counts(db)

    response = await attach(client)

    assert response.status == 201, await response.text()
    assert response.headers["Location"] == "/api/v1/orders/A-1001"
    assert await response.json() == NOT_SHIPPED_YET
    order = await read_order(client)
    assert order["status"] == "shipped"
    assert order["shipment"] == NOT_SHIPPED_YET
    assert order["history"][-1]["to_status"] == "shipped"
    assert order["history"][-1]["comment"] == WAYBILL
    [shipment] = await stored_shipments(db)
    assert (shipment.carrier, shipment.tracking_number, shipment.status) == (
        "nova_poshta",
        WAYBILL,
        None,
    )
    after = await row_counts(db)
    assert after["timers"] == before["timers"] + 1  # "your parcel is on its way"
    async with db.uow() as uow:
        kinds = (await uow.session.scalars(select(Timer.kind))).all()
        hooks = (
            await uow.session.scalars(
                select(OutboxMessage).where(OutboxMessage.channel == "webhook")
            )
        ).all()
    assert "track:shipped" in kinds
    assert hooks == []  # the shop attached it itself: no echo back


async def test_the_same_waybill_again_is_200_and_one_shipment(
    client: TestClient, db: Database
) -> None:
    await confirmed_order(client)
    first = await attach(client)
    before = await side_effects(db)

    again = await attach(client, "2045 0000 0000 00")  # spaces are ignored: the same waybill

    assert (first.status, again.status) == (201, 200)
    assert await again.json() == await first.json()
    assert len(await stored_shipments(db)) == 1
    assert await side_effects(db) == before
    assert (await read_order(client))["status"] == "shipped"


async def test_spaces_in_the_waybill_are_dropped(client: TestClient, db: Database) -> None:
    await confirmed_order(client)

    response = await attach(client, " 2045 0000 0000 00 ")

    assert response.status == 201, await response.text()
    assert (await response.json())["tracking_number"] == WAYBILL
    assert [s.tracking_number for s in await stored_shipments(db)] == [WAYBILL]


async def test_another_waybill_for_a_shipped_order_is_409(client: TestClient, db: Database) -> None:
    await shipped_order(client)
    before = await row_counts(db)

    response = await attach(client, "20450000000001")

    assert response.status == 409
    assert (await response.json())["error"]["code"] == "conflict"
    assert [s.tracking_number for s in await stored_shipments(db)] == [WAYBILL]
    assert await row_counts(db) == before


async def test_a_waybill_of_another_order_is_409(client: TestClient, db: Database) -> None:
    await shipped_order(client)
    await confirmed_order(client, "A-1002")
    before = await row_counts(db)

    response = await attach(client, external_id="A-1002")

    assert response.status == 409
    assert (await response.json())["error"]["code"] == "conflict"
    assert (await read_order(client, "A-1002"))["status"] == "confirmed"
    assert (await read_order(client, "A-1002"))["shipment"] is None
    assert await row_counts(db) == before


@pytest.mark.parametrize(
    ("carrier", "number"),
    [
        pytest.param("nova_poshta", "123", id="too short"),
        pytest.param("nova_poshta", "2045000000000A", id="a letter"),
        pytest.param("nova_poshta", "ABCDEFGHIJKLMN", id="letters"),
        pytest.param("nova_poshta", "30450000000000", id="wrong first digit"),
        pytest.param("nova_poshta", "204500000000000", id="15 digits"),
        pytest.param("ukrposhta", "RB12345678UA", id="ukrposhta short"),
        pytest.param("meest", "ab", id="generic too short"),
        pytest.param("meest", "MEEST/123456", id="generic with a slash"),
    ],
)
async def test_invalid_waybill_is_422_naming_tracking_number(
    client: TestClient, db: Database, carrier: str, number: str
) -> None:
    await confirmed_order(client)
    before = await row_counts(db)

    response = await attach(client, number, carrier=carrier)

    assert response.status == 422
    error = (await response.json())["error"]
    assert error["code"] == "validation_failed"
    assert [item["field"] for item in error["fields"]] == ["tracking_number"]
    assert carrier in error["fields"][0]["message"]
    assert await row_counts(db) == before
    assert (await read_order(client))["status"] == "confirmed"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"carrier": "dhl", "tracking_number": WAYBILL}, "carrier", id="carrier"),
        pytest.param({"tracking_number": WAYBILL}, "carrier", id="no carrier"),
        pytest.param({"carrier": "nova_poshta"}, "tracking_number", id="no number"),
        pytest.param(
            {"carrier": "nova_poshta", "tracking_number": 20450000000000},
            "tracking_number",
            id="number as a number",
        ),
        pytest.param(
            {"carrier": "nova_poshta", "tracking_number": "  "}, "tracking_number", id="blank"
        ),
        pytest.param(
            {"carrier": "nova_poshta", "tracking_number": WAYBILL, "weight": 1},
            "weight",
            id="unknown field",
        ),
    ],
)
async def test_invalid_attach_body_is_422_naming_the_field(
    client: TestClient, db: Database, body: dict[str, Any], field: str
) -> None:
    await confirmed_order(client)
    before = await row_counts(db)

    response = await client.post("/api/v1/orders/A-1001/shipment", json=body, headers=AUTH)

    assert response.status == 422
    assert field in [item["field"] for item in (await response.json())["error"]["fields"]]
    assert await row_counts(db) == before


async def test_unconfirmed_order_cannot_be_shipped(client: TestClient, db: Database) -> None:
    await create(client, order_payload())
    before = await row_counts(db)

    response = await attach(client)

    assert response.status == 409
    error = (await response.json())["error"]
    assert error["code"] == "conflict"
    assert error["current_status"] == "new"
    assert "new" in error["message"]
    assert await row_counts(db) == before
    order = await read_order(client)
    assert (order["status"], order["shipment"]) == ("new", None)


async def test_attach_to_an_unknown_order_is_404(client: TestClient, db: Database) -> None:
    response = await attach(client, external_id="NOPE-1")

    assert response.status == 404
    error = (await response.json())["error"]
    assert error["code"] == "not_found"
    assert "NOPE-1" in error["message"]
    assert (await row_counts(db))["shipments"] == 0


async def test_concurrent_attaches_store_one_shipment(client: TestClient, db: Database) -> None:
    await confirmed_order(client)

    responses = await asyncio.gather(*(attach(client) for _ in range(4)))

    assert sorted(response.status for response in responses) == [200, 200, 200, 201]
    assert len(await stored_shipments(db)) == 1
    history = (await read_order(client))["history"]
    assert [event["to_status"] for event in history].count("shipped") == 1


# --- parcel events --------------------------------------------------------------------------


async def test_arrived_moves_the_order_and_is_stored(
    client: TestClient, db: Database, clock: ManualClock
) -> None:
    await shipped_order(client)
    before = await row_counts(db)
    clock.advance(timedelta(days=1))

    response = await report(client, ARRIVED)

    assert response.status == 200, await response.text()
    expected = {
        **NOT_SHIPPED_YET,
        "status": "arrived",
        "point": "Відділення №12, вул. Хрещатик, 1",
        "expected_delivery": "2026-11-21",
        "storage_until": "2026-11-30",
        "cod_amount": "900.00",
        "can_extend_storage": True,
        "arrived_at": "2026-11-21T07:30:00Z",
        "last_event_at": "2026-11-21T07:30:00Z",
    }
    assert await response.json() == {"applied": True, "shipment": expected}
    order = await read_order(client)
    assert order["status"] == "arrived"
    assert order["shipment"] == expected
    [shipment] = await stored_shipments(db)
    assert shipment.paid_storage_from == date(2026, 12, 1)  # the first paid day
    assert shipment.cod_amount == Decimal("900.00")
    assert shipment.arrived_at == datetime(2026, 11, 21, 7, 30, tzinfo=UTC)
    after = await row_counts(db)
    assert after["shipment_events"] == before["shipment_events"] + 1
    assert after["timers"] > before["timers"]  # the arrival notice and pickup reminders
    assert after["outbox"] > before["outbox"]  # the shop's webhook


async def test_a_repeated_event_changes_nothing_and_tells_nobody(
    client: TestClient, db: Database
) -> None:
    await shipped_order(client)
    first = await report(client, ARRIVED)
    # The notices went out: a repeated event must not arm them again.
    async with db.uow() as uow:
        await uow.session.execute(update(Timer).values(done_at=uow.clock.now()))
        await uow.commit()
    counts = await row_counts(db)
    before = await side_effects(db)

    again = await report(client, ARRIVED)

    assert again.status == 200, await again.text()
    body = await again.json()
    assert body["applied"] is False
    assert body["shipment"] == (await first.json())["shipment"]
    assert await row_counts(db) == counts
    assert await side_effects(db) == before
    assert (await read_order(client))["status"] == "arrived"


async def test_a_new_last_free_day_moves_the_pickup_reminders(
    client: TestClient, db: Database, clock: ManualClock
) -> None:
    """Nova Poshta extended the storage (or the shop corrected the day): no crash, no new history,
    and the reminder on the last free day moves to the new last free day."""
    await shipped_order(client)
    clock.advance(timedelta(days=1))
    await report(client, ARRIVED)

    extended = await report(client, {"status": "arrived", "storage_until": "2026-12-04"})

    assert extended.status == 200, await extended.text()
    body = await extended.json()
    assert body["applied"] is False
    assert body["shipment"]["storage_until"] == "2026-12-04"
    async with db.uow() as uow:
        rows = (await uow.session.execute(select(Timer.kind, Timer.due_at, Timer.done_at))).all()
    reminders = sorted(
        (kind, due) for kind, due, done in rows if kind.startswith("pickup") and done is None
    )
    # 11:00 in Kyiv the day after arrival, and on the new last free day, 4 December.
    assert reminders == [
        ("pickup:0", datetime(2026, 11, 22, 9, 0, tzinfo=UTC)),
        ("pickup:1", datetime(2026, 12, 4, 9, 0, tzinfo=UTC)),
    ]
    history = (await read_order(client))["history"]
    assert [event["to_status"] for event in history].count("arrived") == 1


async def test_an_older_event_does_not_move_the_parcel_back(
    client: TestClient, db: Database
) -> None:
    await shipped_order(client)
    await report(client, ARRIVED)
    counts = await row_counts(db)

    response = await report(
        client, {"status": "in_transit", "occurred_at": "2026-11-20T18:00:00+02:00"}
    )

    assert response.status == 200, await response.text()
    body = await response.json()
    assert body["applied"] is False
    assert body["shipment"]["status"] == "arrived"
    assert body["shipment"]["last_event_at"] == "2026-11-21T07:30:00Z"
    assert (await read_order(client))["status"] == "arrived"
    assert await row_counts(db) == counts


async def test_in_transit_keeps_a_shipped_order_shipped(client: TestClient, db: Database) -> None:
    await shipped_order(client)

    response = await report(client, {"status": "in_transit"})

    assert response.status == 200
    body = await response.json()
    assert body["applied"] is True
    assert body["shipment"]["status"] == "in_transit"
    assert body["shipment"]["last_event_at"] == "2026-11-20T08:00:00Z"  # now, when not given
    assert body["shipment"]["arrived_at"] is None
    assert (await read_order(client))["status"] == "shipped"


async def test_received_completes_the_order_and_keeps_the_details(
    client: TestClient, db: Database
) -> None:
    await shipped_order(client)
    await report(client, ARRIVED)

    response = await report(
        client, {"status": "received", "occurred_at": "2026-11-22T12:00:00+02:00"}
    )

    assert response.status == 200, await response.text()
    body = await response.json()
    assert body["applied"] is True
    shipment = body["shipment"]
    assert shipment["status"] == "received"
    assert shipment["last_event_at"] == "2026-11-22T10:00:00Z"
    assert shipment["arrived_at"] == "2026-11-21T07:30:00Z"
    assert shipment["storage_until"] == "2026-11-30"  # fields left out are kept
    assert shipment["point"] == ARRIVED["point"]
    order = await read_order(client)
    assert order["status"] == "received"
    assert [event["to_status"] for event in order["history"]] == [
        "new",
        "confirmed",
        "shipped",
        "arrived",
        "received",
    ]
    async with db.uow() as uow:
        events = (await uow.session.scalars(select(ShipmentEvent).order_by(ShipmentEvent.id))).all()
    assert [(event.status, event.source) for event in events] == [
        ("arrived", "shop"),
        ("received", "shop"),
    ]


async def test_concurrent_repeats_apply_once(client: TestClient, db: Database) -> None:
    await shipped_order(client)

    responses = await asyncio.gather(*(report(client, ARRIVED) for _ in range(4)))

    assert [response.status for response in responses] == [200] * 4
    applied = [(await response.json())["applied"] for response in responses]
    assert sorted(applied) == [False, False, False, True]
    assert (await row_counts(db))["shipment_events"] == 1
    history = (await read_order(client))["history"]
    assert [event["to_status"] for event in history].count("arrived") == 1


async def test_event_for_an_unknown_waybill_is_404(client: TestClient, db: Database) -> None:
    await shipped_order(client)
    before = await row_counts(db)

    response = await report(client, ARRIVED, tracking_number="20459999999999")

    assert response.status == 404
    error = (await response.json())["error"]
    assert error["code"] == "not_found"
    assert "20459999999999" in error["message"]
    assert await row_counts(db) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"status": "lost"}, "status", id="unknown status"),
        pytest.param({"status": None}, "status", id="null status"),
        pytest.param({"storage_until": "30.11.2026"}, "storage_until", id="dotted date"),
        pytest.param({"storage_until": "2026-02-30"}, "storage_until", id="no such day"),
        pytest.param({"storage_until": 1795000000}, "storage_until", id="unix date"),
        pytest.param({"storage_until": "2026-11-30T00:00:00"}, "storage_until", id="date-time"),
        pytest.param({"storage_until": "9999-12-31"}, "storage_until", id="last date ever"),
        pytest.param({"expected_delivery": "tomorrow"}, "expected_delivery", id="words"),
        pytest.param({"occurred_at": "2026-11-21T09:30:00"}, "occurred_at", id="naive"),
        pytest.param({"occurred_at": "2026-11-21"}, "occurred_at", id="a date"),
        pytest.param(
            {"occurred_at": "0001-01-01T00:00:00+02:00"}, "occurred_at", id="before UTC time"
        ),
        pytest.param({"cod_amount": "-1"}, "cod_amount", id="negative cod"),
        pytest.param({"cod_amount": "9.999"}, "cod_amount", id="three decimals"),
        pytest.param({"can_extend_storage": "yes"}, "can_extend_storage", id="bool as text"),
        pytest.param({"point": " "}, "point", id="blank point"),
        pytest.param({"point": "Б" * 301}, "point", id="long point"),
        pytest.param({"storage": "2026-11-30"}, "storage", id="unknown field"),
    ],
)
async def test_invalid_event_is_422_naming_the_field(
    client: TestClient, db: Database, change: dict[str, Any], field: str
) -> None:
    await shipped_order(client)
    before = await row_counts(db)

    response = await report(client, {**ARRIVED, **change})

    assert response.status == 422, await response.text()
    error = (await response.json())["error"]
    assert error["code"] == "validation_failed"
    assert [item["field"] for item in error["fields"]] == [field]
    assert await row_counts(db) == before
    assert (await read_order(client))["status"] == "shipped"


async def test_event_without_status_is_422(client: TestClient, db: Database) -> None:
    await shipped_order(client)

    response = await report(client, {"storage_until": "2026-11-30"})

    assert response.status == 422
    fields = (await response.json())["error"]["fields"]
    assert fields == [{"field": "status", "message": "This field is required"}]
    assert (await row_counts(db))["shipment_events"] == 0


async def test_without_a_token_nothing_happens_to_the_parcel(
    client: TestClient, db: Database
) -> None:
    await confirmed_order(client)
    attached = await client.post(
        "/api/v1/orders/A-1001/shipment",
        json={"carrier": "nova_poshta", "tracking_number": WAYBILL},
    )
    assert attached.status == 401
    assert (await row_counts(db))["shipments"] == 0

    await attach(client)
    before = await row_counts(db)
    reported = await client.post(f"/api/v1/shipments/{WAYBILL}/events", json=ARRIVED)

    assert reported.status == 401
    assert (await reported.json())["error"]["code"] == "unauthorized"
    assert await row_counts(db) == before
    assert (await read_order(client))["status"] == "shipped"


# --- the document ---------------------------------------------------------------------------


async def test_openapi_describes_the_shipment_endpoints(client: TestClient) -> None:
    document = await (await client.get("/api/v1/openapi.json")).json()
    schemas = document["components"]["schemas"]

    carriers = []
    for variant in schemas["ShipmentIn"]["oneOf"]:  # the waybill's format follows the carrier
        assert set(variant["required"]) == {"carrier", "tracking_number"}
        assert variant["additionalProperties"] is False
        assert variant["properties"]["tracking_number"]["pattern"]
        carriers += variant["properties"]["carrier"]["enum"]
    assert sorted(carriers) == sorted(schemas["Carrier"]["enum"])
    assert schemas["ShipmentEventIn"]["required"] == ["status"]
    assert schemas["ShipmentEventIn"]["additionalProperties"] is False
    assert "storage_ended" in schemas["ShipmentStatus"]["enum"]
    assert set(schemas["ShipmentOut"]["properties"]) == set(NOT_SHIPPED_YET)
    assert "shipment" in schemas["OrderOut"]["properties"]
    attach_op = document["paths"]["/api/v1/orders/{external_id}/shipment"]["post"]
    assert {"200", "201", "401", "404", "409", "422"} <= set(attach_op["responses"])
    events_op = document["paths"]["/api/v1/shipments/{tracking_number}/events"]["post"]
    assert events_op["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ShipmentEventResultOut"
    }
    assert {"401", "404", "422"} <= set(events_op["responses"])
