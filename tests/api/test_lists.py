"""``GET /api/v1/orders`` (changed since a moment) and ``GET /api/v1/returns`` page with cursors:
each row once, in order, an order changed meanwhile again at the end, bad cursors a 422."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.clock import ManualClock
from bot.domain.return_desk import DeskStep
from bot.services.context import ServiceContext
from bot.services.returns import desk as return_desk
from storage.uow import Database
from tests.api.conftest import AUTH, create, order_payload
from tests.factories import MANAGER
from tests.services.returns.helpers import submitted_return


async def get(client: TestClient, url: str) -> dict[str, Any]:
    response = await client.get(url, headers=AUTH)
    assert response.status == 200, await response.text()
    body: dict[str, Any] = await response.json()
    return body


async def orders_every_minute(client: TestClient, clock: ManualClock, *ids: str) -> None:
    for external_id in ids:
        assert (await create(client, order_payload(external_id=external_id))).status == 201
        clock.advance(timedelta(minutes=1))


async def test_orders_page_by_updated_at_and_a_changed_one_comes_again_at_the_end(
    client: TestClient, clock: ManualClock
) -> None:
    await orders_every_minute(client, clock, "A-1", "A-2", "A-3", "A-4", "A-5")

    first = await get(client, "/api/v1/orders?limit=2")
    assert [o["external_id"] for o in first["orders"]] == ["A-1", "A-2"]
    assert first["has_more"] is True
    # A-1 (already read) and A-4 (not yet) change while the shop pages.
    for external_id in ("A-1", "A-4"):
        moved = await client.post(
            f"/api/v1/orders/{external_id}/status", json={"status": "confirmed"}, headers=AUTH
        )
        assert moved.status == 200
    seen = [o["external_id"] for o in first["orders"]]
    cursor = first["next_after"]
    for _ in range(10):  # bounded
        body = await get(client, f"/api/v1/orders?limit=2&after={cursor}")
        seen += [o["external_id"] for o in body["orders"]]
        cursor = body["next_after"]
        if not body["has_more"]:
            break

    # Nothing skipped; A-4 once, at its new place; A-1 again, as changed after the first page.
    assert seen == ["A-1", "A-2", "A-3", "A-5", "A-1", "A-4"]
    last = await get(client, f"/api/v1/orders?after={cursor}")
    assert (last["orders"], last["has_more"], last["next_after"]) == ([], False, cursor)


async def test_orders_changed_since_a_moment(client: TestClient, clock: ManualClock) -> None:
    start = clock.now()
    await orders_every_minute(client, clock, "A-1", "A-2", "A-3")
    since = (start + timedelta(minutes=1)).astimezone().isoformat()

    response = await client.get("/api/v1/orders", params={"changed_since": since}, headers=AUTH)

    body = await response.json()
    assert [o["external_id"] for o in body["orders"]] == ["A-2", "A-3"]
    assert body["orders"][0]["status"] == "new" and body["orders"][0]["shipment"] is None
    later = await client.get(
        "/api/v1/orders",
        params={"changed_since": (clock.now() + timedelta(days=1)).isoformat()},
        headers=AUTH,
    )
    assert (await later.json())["orders"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("changed_since=yesterday", "changed_since"),
        ("changed_since=2026-11-20T10:00:00", "changed_since"),  # no offset
        ("after=e12", "after"),
        ("after=o12", "after"),
        ("after=o1_x", "after"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
    ],
)
async def test_orders_a_bad_query_is_422_naming_it(
    client: TestClient, query: str, field: str
) -> None:
    response = await client.get(f"/api/v1/orders?{query}", headers=AUTH)

    assert response.status == 422
    assert [f["field"] for f in (await response.json())["error"]["fields"]] == [field]


async def test_returns_page_with_a_cursor_and_keep_the_status_filter(
    client: TestClient, db: Database, ctx: ServiceContext, clock: ManualClock
) -> None:
    returns = []
    for n in range(5):
        returns.append(
            await submitted_return(db, ctx, external_id=f"A-{n}", phone=f"+38050123456{n}")
        )
        clock.advance(timedelta(minutes=1))
    await return_desk.take(db, ctx, returns[1].id, DeskStep.approve, MANAGER)
    numbers = [f"R-{r.id:06d}" for r in returns]

    seen: list[str] = []
    cursor = ""
    for _ in range(10):  # bounded
        body = await get(client, f"/api/v1/returns?limit=2{cursor}")
        seen += [one["number"] for one in body["returns"]]
        cursor = f"&after={body['next_after']}"
        if not body["has_more"]:
            break
    assert seen == numbers

    requested = await get(client, "/api/v1/returns?status=requested&limit=2")
    assert [one["number"] for one in requested["returns"]] == [numbers[0], numbers[2]]
    rest = await get(
        client, f"/api/v1/returns?status=requested&limit=2&after={requested['next_after']}"
    )
    assert [one["number"] for one in rest["returns"]] == [numbers[3], numbers[4]]
    assert rest["has_more"] is False

    bad = await client.get("/api/v1/returns?after=e1", headers=AUTH)
    assert bad.status == 422
    assert [f["field"] for f in (await bad.json())["error"]["fields"]] == ["after"]
