"""``GET /metrics``: Prometheus text an operator's scraper reads; the queue as the database sees it."""

from __future__ import annotations

from datetime import timedelta

from aiohttp.test_utils import TestClient
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from bot.clock import ManualClock
from bot.delivery.sender import DeliveryStats
from bot.metrics import DeliveryCollector
from tests.api.conftest import AUTH, create
from tests.factories import order_payload


async def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


async def test_requests_are_counted_by_route_and_status_not_by_path(client: TestClient):
    assert (await create(client, order_payload(external_id="M-1"))).status == 201
    assert (await client.get("/api/v1/orders/M-1", headers=AUTH)).status == 200
    assert (await client.get("/api/v1/orders/NOPE-7", headers=AUTH)).status == 404
    assert (await client.get("/api/v1/orders/M-1")).status == 401
    assert (await client.get("/no/such/path")).status == 404

    samples = await scrape(client)

    def requests(method: str, route: str, status: str) -> float:
        labels = (("method", method), ("route", route), ("status", status))
        return samples.get(("vykup_api_requests_total", labels), 0.0)

    assert requests("POST", "/api/v1/orders", "201") == 1
    assert requests("GET", "/api/v1/orders/{external_id}", "200") == 1
    assert requests("GET", "/api/v1/orders/{external_id}", "404") == 1
    assert requests("GET", "/api/v1/orders/{external_id}", "401") == 1
    assert requests("GET", "unmatched", "404") == 1  # unknown paths share one label
    assert not any("NOPE-7" in str(key) for key in samples)


async def test_the_outbox_depth_its_oldest_age_and_due_timers(
    client: TestClient, clock: ManualClock
):
    samples = await scrape(client)
    assert samples[("vykup_outbox_depth", ())] == 0
    assert samples[("vykup_outbox_oldest_age_seconds", ())] == 0
    assert samples[("vykup_database_up", ())] == 1

    # A linked customer's order queues its card (nobody delivers it here: no worker runs).
    payload = order_payload(external_id="M-2", customer={"telegram_id": 5001})
    assert (await create(client, payload)).status == 201
    clock.advance(timedelta(minutes=16))  # the 15-minute reminder is now overdue

    samples = await scrape(client)
    assert samples[("vykup_outbox_depth", ())] >= 1
    assert samples[("vykup_outbox_oldest_age_seconds", ())] == 16 * 60
    assert samples[("vykup_timers_due", ())] == 1


def test_deliveries_are_reported_by_outcome_and_reason():
    stats = DeliveryStats(sent=7, rate_limited=2)
    stats.retried.update({"server_error": 3, "shop_rejected": 1})
    stats.failed.update({"bad_request": 1})
    registry = CollectorRegistry()
    registry.register(DeliveryCollector(lambda: stats))

    def messages(outcome: str, reason: str) -> float | None:
        labels = {"outcome": outcome, "reason": reason}
        return registry.get_sample_value("vykup_messages_total", labels)

    assert messages("sent", "") == 7
    assert messages("retried", "server_error") == 3
    assert messages("retried", "shop_rejected") == 1
    assert messages("retried", "network") is None  # no zero rows for reasons never seen
    assert messages("failed", "bad_request") == 1
    assert messages("rate_limited", "429") == 2
    assert registry.get_sample_value("vykup_telegram_429_total") == 2
