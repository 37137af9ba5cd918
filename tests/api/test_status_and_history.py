"""The shop moves orders and reads them back with their history."""

from __future__ import annotations

from datetime import timedelta

from aiohttp.test_utils import TestClient

from bot.clock import ManualClock
from storage.uow import Database
from tests.api.conftest import AUTH, create, order_payload, row_counts


async def test_status_change_then_history(
    client: TestClient, db: Database, clock: ManualClock
) -> None:
    await create(client, order_payload())
    clock.advance(timedelta(minutes=5))

    changed = await client.post(
        "/api/v1/orders/A-1001/status",
        json={"status": "confirmed", "comment": "  Підтвердила по телефону  "},
        headers=AUTH,
    )

    assert changed.status == 200, await changed.text()
    body = await changed.json()
    assert body["status"] == "confirmed"
    assert body["external_id"] == "A-1001"
    assert "history" not in body

    read = await client.get("/api/v1/orders/A-1001", headers=AUTH)

    assert read.status == 200
    order = await read.json()
    assert order["status"] == "confirmed"
    assert order["total"] == "900.00"
    assert order["updated_at"] == "2026-11-20T08:05:00Z"
    assert order["history"] == [
        {
            "kind": "created",
            "from_status": None,
            "to_status": "new",
            "source": "shop",
            "reason": None,
            "comment": None,
            "occurred_at": "2026-11-20T08:00:00Z",
        },
        {
            "kind": "status",
            "from_status": "new",
            "to_status": "confirmed",
            "source": "shop",
            "reason": None,
            "comment": "Підтвердила по телефону",
            "occurred_at": "2026-11-20T08:05:00Z",
        },
    ]


async def test_blank_comment_is_no_comment(client: TestClient) -> None:
    await create(client, order_payload())

    await client.post(
        "/api/v1/orders/A-1001/status", json={"status": "on_hold", "comment": " "}, headers=AUTH
    )

    history = (await (await client.get("/api/v1/orders/A-1001", headers=AUTH)).json())["history"]
    assert history[-1]["to_status"] == "on_hold"
    assert history[-1]["comment"] is None


async def test_illegal_transition_is_409_naming_the_current_status(
    client: TestClient, db: Database
) -> None:
    await create(client, order_payload())
    await client.post("/api/v1/orders/A-1001/status", json={"status": "cancelled"}, headers=AUTH)
    before = await row_counts(db)

    response = await client.post(
        "/api/v1/orders/A-1001/status", json={"status": "shipped"}, headers=AUTH
    )

    assert response.status == 409
    error = (await response.json())["error"]
    assert error["code"] == "conflict"
    assert error["current_status"] == "cancelled"
    assert "cancelled" in error["message"]
    assert await row_counts(db) == before
    order = await (await client.get("/api/v1/orders/A-1001", headers=AUTH)).json()
    assert order["status"] == "cancelled"


async def test_unknown_order_is_404(client: TestClient, db: Database) -> None:
    read = await client.get("/api/v1/orders/NOPE-1", headers=AUTH)
    moved = await client.post(
        "/api/v1/orders/NOPE-1/status", json={"status": "confirmed"}, headers=AUTH
    )

    for response in (read, moved):
        assert response.status == 404
        error = (await response.json())["error"]
        assert error["code"] == "not_found"
        assert "NOPE-1" in error["message"]
    assert (await row_counts(db))["order_events"] == 0


async def test_a_status_the_shop_reports_late_carries_its_own_time(
    client: TestClient, clock: ManualClock
) -> None:
    """Marked received in the shop's records 20 days ago, sent now: the history says when."""
    await create(client, order_payload())
    for status in ("confirmed", "shipped"):
        await client.post("/api/v1/orders/A-1001/status", json={"status": status}, headers=AUTH)
    clock.advance(timedelta(days=25))

    moved = await client.post(
        "/api/v1/orders/A-1001/status",
        json={"status": "received", "occurred_at": "2026-11-25T12:00:00+02:00"},
        headers=AUTH,
    )
    ahead = await client.post(
        "/api/v1/orders/A-1001/status",
        json={"status": "received", "occurred_at": "2027-01-01T00:00:00+02:00"},
        headers=AUTH,
    )

    assert moved.status == 200, await moved.text()
    assert ahead.status == 200  # received already: a repeat changes nothing, its moment neither
    history = (await (await client.get("/api/v1/orders/A-1001", headers=AUTH)).json())["history"]
    assert history[-1]["to_status"] == "received"
    assert history[-1]["occurred_at"] == "2026-11-25T10:00:00Z"


async def test_a_status_time_in_the_future_is_now(client: TestClient) -> None:
    await create(client, order_payload())

    moved = await client.post(
        "/api/v1/orders/A-1001/status",
        json={"status": "confirmed", "occurred_at": "2026-11-21T08:00:00Z"},
        headers=AUTH,
    )

    assert moved.status == 200, await moved.text()
    history = (await (await client.get("/api/v1/orders/A-1001", headers=AUTH)).json())["history"]
    assert history[-1]["occurred_at"] == "2026-11-20T08:00:00Z"


async def test_asking_again_for_the_status_an_order_has_changes_nothing(
    client: TestClient, db: Database
) -> None:
    await create(client, order_payload())
    first = await client.post(
        "/api/v1/orders/A-1001/status", json={"status": "confirmed"}, headers=AUTH
    )
    assert first.status == 200
    before = await row_counts(db)

    again = await client.post(  # the shop's retry of a call whose answer it missed
        "/api/v1/orders/A-1001/status", json={"status": "confirmed"}, headers=AUTH
    )

    assert again.status == 200
    assert (await again.json())["status"] == "confirmed"
    assert await row_counts(db) == before  # no second history entry, card edit or webhook
