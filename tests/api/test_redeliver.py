"""POST /api/v1/webhooks/redeliver: the shop asks again for the deliveries Vykup gave up on."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from storage.uow import Database
from tests.api.conftest import AUTH
from tests.delivery.helpers import add_order, outbox, queue_webhooks


async def test_failed_deliveries_are_queued_again_once(client: TestClient, db: Database) -> None:
    order = await add_order(db, telegram_id=5001)
    failed, waiting = await queue_webhooks(
        db, "http://127.0.0.1:9/hook", order, {"event": "order.confirmed"}, {"event": "x"}
    )
    async with db.uow() as uow:
        await uow.outbox.mark_failed(failed, error="given up after 3d: HTTP 503")
        await uow.commit()

    refused = await client.post("/api/v1/webhooks/redeliver")
    assert refused.status == 401
    assert (await outbox(db))[failed].state == "failed"

    first = await client.post("/api/v1/webhooks/redeliver", headers=AUTH)
    again = await client.post("/api/v1/webhooks/redeliver", headers=AUTH)

    assert first.status == again.status == 200
    assert await first.json() == {"queued": 1}
    assert await again.json() == {"queued": 0}
    rows = await outbox(db)
    assert (rows[failed].state, rows[failed].attempts) == ("pending", 0)
    assert rows[waiting].state == "pending"


async def test_the_document_describes_the_call(client: TestClient) -> None:
    document = await (await client.get("/api/v1/openapi.json")).json()
    operation = document["paths"]["/api/v1/webhooks/redeliver"]["post"]
    assert operation["operationId"] == "redeliverWebhooks"
    assert set(operation["responses"]) == {"200", "401", "500"}
