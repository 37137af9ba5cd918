"""Shop webhooks: signed, ordered per order, retried with growing delays until a 2xx."""

from __future__ import annotations

import json
from collections import deque
from datetime import timedelta
from typing import Any

from bot.clock import ManualClock
from bot.delivery.webhooks import SIGNATURE_HEADER, encode_body, sign
from bot.domain.shop_events import with_identity
from storage.uow import Database
from tests.delivery.conftest import SECRET, MakeWorker, later
from tests.delivery.fakes import FakeShop
from tests.delivery.helpers import add_order, outbox, queue_webhooks


def payloads(shop: FakeShop) -> list[dict[str, Any]]:
    """What the shop received, without the event id and type the worker adds."""
    return [{k: v for k, v in hook.items() if k not in ("id", "type")} for hook in shop.delivered]


async def test_webhooks_are_signed_ordered_per_order_and_retried_until_2xx(
    db: Database, shop: FakeShop, base_url: str, make_worker: MakeWorker, clock: ManualClock
) -> None:
    url = f"{base_url}/shop/hook"
    first_order = await add_order(db, telegram_id=5001, external_id="A-1")
    second_order = await add_order(db, telegram_id=5002, external_id="A-2")
    confirmed = {"event": "order.confirmed", "order": "A-1", "note": "Дякую"}
    shipped = {"event": "order.shipped", "order": "A-1"}
    elsewhere = {"event": "order.confirmed", "order": "A-2"}
    first, second = await queue_webhooks(db, url, first_order, confirmed, shipped)
    (other,) = await queue_webhooks(db, url, second_order, elsewhere)
    shop.statuses_for["A-1"] = deque([500])
    worker = make_worker()

    await worker.drain()

    # The two orders' lanes run side by side, so either may reach the shop first.
    assert sorted((json.loads(hook.body)["order"], hook.status) for hook in shop.hooks) == [
        ("A-1", 500),
        ("A-2", 200),
    ]
    assert payloads(shop) == [elsewhere]  # the other order did not wait
    rows = await outbox(db)
    assert (rows[first].state, rows[first].attempts) == ("pending", 1)
    assert rows[first].next_attempt_at == clock.now() + timedelta(seconds=5)
    assert "500" in (rows[first].last_error or "")
    assert (rows[second].state, rows[second].attempts) == ("pending", 0)  # waits behind first

    later(clock, 5)
    await worker.drain()

    assert payloads(shop) == [elsewhere, confirmed, shipped]
    for hook in shop.hooks:
        assert hook.signed
        assert hook.headers[SIGNATURE_HEADER] == sign(hook.body, SECRET)
        assert hook.headers["Content-Type"] == "application/json"
    # Each payload leads with its event id (the webhook-id, the same on the retry) and type.
    assert [(hook["id"], hook["type"]) for hook in shop.delivered] == [
        (f"evt_{other}", "order.confirmed"),
        (f"evt_{first}", "order.confirmed"),
        (f"evt_{second}", "order.shipped"),
    ]
    assert [hook.headers["webhook-id"] for hook in shop.hooks if hook.status == 500] == [
        f"evt_{first}"
    ]
    assert shop.hooks[-2].body == encode_body(with_identity(confirmed, f"evt_{first}"))
    rows = await outbox(db)
    assert [rows[i].state for i in (first, second, other)] == ["sent"] * 3
    assert rows[first].attempts == 2
    assert worker.stats.retried == {"shop_rejected": 1}


async def test_an_unreachable_shop_is_retried_with_growing_delays(
    db: Database, make_worker: MakeWorker, clock: ManualClock
) -> None:
    order_id = await add_order(db, telegram_id=5001)
    (row_id,) = await queue_webhooks(db, "http://127.0.0.1:9/hook", order_id, {"event": "x"})
    worker = make_worker()

    for attempt, delay in enumerate([5, 10, 20], start=1):
        await worker.drain()
        row = (await outbox(db))[row_id]
        assert (row.state, row.attempts) == ("pending", attempt)
        assert row.next_attempt_at == clock.now() + timedelta(seconds=delay)
        later(clock, delay)


async def test_a_webhook_row_without_url_fails(db: Database, make_worker: MakeWorker) -> None:
    order_id = await add_order(db, telegram_id=5001)
    async with db.uow() as uow:
        uow.outbox.add(
            channel="webhook", method="POST", payload={}, now=uow.clock.now(), order_id=order_id
        )
        await uow.commit()
    worker = make_worker()

    await worker.drain()

    (row,) = (await outbox(db)).values()
    assert row.state == "failed"
    assert worker.stats.failed["invalid_payload"] == 1


async def test_the_wait_the_shop_asks_for_is_honoured(
    db: Database, shop: FakeShop, base_url: str, make_worker: MakeWorker, clock: ManualClock
) -> None:
    order_id = await add_order(db, telegram_id=5001)
    (row_id,) = await queue_webhooks(db, f"{base_url}/shop/hook", order_id, {"event": "x"})
    shop.statuses.append(503)
    shop.retry_after = "120"

    await make_worker().drain()

    row = (await outbox(db))[row_id]
    assert (row.state, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == clock.now() + timedelta(seconds=120)  # not the 5 s backoff


async def test_retries_spread_by_jitter(
    db: Database, make_worker: MakeWorker, clock: ManualClock
) -> None:
    order_id = await add_order(db, telegram_id=5001)
    (row_id,) = await queue_webhooks(db, "http://127.0.0.1:9/hook", order_id, {"event": "x"})

    await make_worker(jitter_draw=lambda: 0.5).drain()

    row = (await outbox(db))[row_id]
    assert row.next_attempt_at == clock.now() + timedelta(seconds=5 * 1.25)


async def test_a_shop_answering_410_gone_gets_no_more_tries(
    db: Database, shop: FakeShop, base_url: str, make_worker: MakeWorker
) -> None:
    order_id = await add_order(db, telegram_id=5001)
    (row_id,) = await queue_webhooks(db, f"{base_url}/shop/hook", order_id, {"event": "x"})
    shop.statuses.append(410)
    worker = make_worker()

    await worker.drain()
    await worker.drain()

    row = (await outbox(db))[row_id]
    assert (row.state, row.attempts) == ("failed", 1)
    assert "410" in (row.last_error or "")
    assert len(shop.hooks) == 1
    assert worker.stats.failed["gone"] == 1
