"""This process's Prometheus metrics, in a registry of its own (``GET /metrics``).

Counters count what this process did; the outbox and timer gauges are read from the database at
scrape time, so every process reports the same queue whichever of them delivers it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from bot.delivery.sender import DeliveryStats
from bot.services.housekeeping import Pruned


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.updates = Counter(
            "vykup_updates_handled",
            "Telegram updates this process handled, by kind",
            ["kind"],
            registry=registry,
        )
        self.api_requests = Counter(
            "vykup_api_requests",
            "HTTP requests answered, by route and status",
            ["method", "route", "status"],
            registry=registry,
        )
        self.api_seconds = Histogram(
            "vykup_api_request_seconds",
            "Time to answer an HTTP request, by route",
            ["route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=registry,
        )
        self.leader = Gauge(
            "vykup_leader",
            "1 while this process leads the duty (worker: delivery and timers; updates: polling)",
            ["duty"],
            registry=registry,
        )
        self.outbox_depth = Gauge(
            "vykup_outbox_depth", "Messages and shop webhooks waiting to be sent", registry=registry
        )
        self.outbox_oldest_age = Gauge(
            "vykup_outbox_oldest_age_seconds",
            "How long the oldest waiting message has waited (0 when none waits)",
            registry=registry,
        )
        self.timers_due = Gauge(
            "vykup_timers_due",
            "Timers past their due time that have not run yet",
            registry=registry,
        )
        self.pruned = Counter(
            "vykup_pruned_rows",
            "Finished rows housekeeping deleted: delivered messages and timers that ran "
            "(and refunds whose bank details it erased)",
            ["kind"],
            registry=registry,
        )
        self.database_up = Gauge(
            "vykup_database_up", "1 if the database answered the last scrape", registry=registry
        )

    def watch_delivery(self, stats: Callable[[], DeliveryStats | None]) -> None:
        """Report the outbox worker's counters (this process's sends) at every scrape."""
        self.registry.register(DeliveryCollector(stats))

    def count_pruned(self, pruned: Pruned) -> None:
        self.pruned.labels("messages").inc(pruned.messages)
        self.pruned.labels("timers").inc(pruned.timers)
        self.pruned.labels("refund_details").inc(pruned.refund_details)

    def set_queue(
        self, *, depth: int, oldest: datetime | None, timers_due: int, now: datetime
    ) -> None:
        self.outbox_depth.set(depth)
        age = (now - oldest).total_seconds() if oldest is not None else 0.0
        self.outbox_oldest_age.set(max(0.0, age))
        self.timers_due.set(timers_due)
        self.database_up.set(1)


class DeliveryCollector(Collector):
    def __init__(self, stats: Callable[[], DeliveryStats | None]) -> None:
        self._stats = stats

    def collect(self) -> Iterator[CounterMetricFamily]:
        stats = self._stats() or DeliveryStats()
        messages = CounterMetricFamily(
            "vykup_messages",
            "Outbox deliveries by outcome (sent, retried, rate_limited, failed) and reason",
            labels=["outcome", "reason"],
        )
        messages.add_metric(["sent", ""], stats.sent)
        for reason, count in sorted(stats.retried.items()):
            messages.add_metric(["retried", reason], count)
        messages.add_metric(["rate_limited", "429"], stats.rate_limited)
        for reason, count in sorted(stats.failed.items()):
            messages.add_metric(["failed", reason], count)
        yield messages
        yield CounterMetricFamily(
            "vykup_telegram_429",
            "Too Many Requests answers from Telegram to the outbox worker",
            value=stats.rate_limited,
        )
        platform_calls = CounterMetricFamily(
            "vykup_platform_calls",
            "Calls to connected platforms and CRMs by outcome (sent, retried, refused, failed)",
            labels=["platform", "outcome"],
        )
        for (platform, outcome), count in sorted(stats.platform_calls.items()):
            platform_calls.add_metric([platform, outcome], count)
        yield platform_calls
        outreach_calls = CounterMetricFamily(
            "vykup_outreach_messages",
            "Viber/SMS sends to the provider by outcome (sent, retried, refused, failed, dropped)",
            labels=["outcome"],
        )
        for outcome, count in sorted(stats.outreach_calls.items()):
            outreach_calls.add_metric([outcome], count)
        yield outreach_calls
        yield CounterMetricFamily(
            "vykup_unreachable_chats",
            "Chats found blocked or gone (403, chat not found)",
            value=stats.unreachable_chats,
        )
