"""TrackingPoller: batches, outages and sink failures stay contained; run/stop/wake."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

import pytest

from bot.carriers.base import CarrierUnavailable, CarrierUpdate, TrackingQuery
from bot.carriers.novaposhta.client import NovaPoshtaClient
from bot.carriers.poller import PollReport, TrackingPoller
from bot.domain.shipments import ShipmentStatus
from tests.carriers.fake_novaposhta import FakeNovaPoshta, Mode

LONG = 3600.0  # an interval no test waits for


def parcels(count: int) -> list[TrackingQuery]:
    return [TrackingQuery(str(20450000000000 + i), "+380501234567") for i in range(count)]


class ScriptedClient:
    """A carrier that answers every query with 'arrived', except where told to fail."""

    name = "scripted"

    def __init__(
        self, max_batch: int = 100, fail: Callable[[int], Exception | None] = lambda _: None
    ) -> None:
        self.max_batch = max_batch
        self.calls: list[list[str]] = []
        self._fail = fail

    async def track(self, queries: Sequence[TrackingQuery]) -> list[CarrierUpdate]:
        self.calls.append([q.tracking_number for q in queries])
        error = self._fail(len(self.calls))
        if error is not None:
            raise error
        return [CarrierUpdate(q.tracking_number, ShipmentStatus.arrived) for q in queries]


class Recorder:
    def __init__(self, failing: frozenset[str] = frozenset()) -> None:
        self.updates: list[CarrierUpdate] = []
        self.failing = failing
        self.changed = asyncio.Event()

    async def __call__(self, update: CarrierUpdate) -> None:
        self.changed.set()
        if update.tracking_number in self.failing:
            raise RuntimeError("database is down for this one")
        self.updates.append(update)


def source_of(queries: list[TrackingQuery]) -> Callable[[], Awaitable[Sequence[TrackingQuery]]]:
    async def source() -> list[TrackingQuery]:
        return queries

    return source


async def test_batches_of_max_batch() -> None:
    client, sink = ScriptedClient(max_batch=100), Recorder()
    poller = TrackingPoller(client, source=source_of(parcels(250)), sink=sink, interval=LONG)
    report = await poller.poll_once()
    assert [len(call) for call in client.calls] == [100, 100, 50]
    assert report == PollReport(queried=250, batches=3, updates=250, delivered=250)
    assert len(sink.updates) == 250


async def test_250_parcels_are_3_requests_to_nova_poshta(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    queries = parcels(250)
    for query in queries[:10]:
        fake_np.register(query.tracking_number, "8")
    sink = Recorder()
    poller = TrackingPoller(np_client, source=source_of(queries), sink=sink, interval=LONG)
    report = await poller.poll_once()
    assert [len(batch) for batch in fake_np.requested_numbers] == [100, 100, 50]
    assert report.delivered == 250 and report.failed_batches == 0
    assert [u.status for u in sink.updates[:10]] == [ShipmentStatus.arrived] * 10
    assert all(u.not_found for u in sink.updates[10:])


async def test_an_outage_skips_the_batch_until_next_time(caplog: pytest.LogCaptureFixture) -> None:
    def second_fails(call: int) -> Exception | None:
        return CarrierUnavailable("HTTP 502") if call == 2 else None

    client, sink = ScriptedClient(max_batch=10, fail=second_fails), Recorder()
    poller = TrackingPoller(client, source=source_of(parcels(30)), sink=sink, interval=LONG)
    with caplog.at_level(logging.WARNING):
        report = await poller.poll_once()
    assert report == PollReport(queried=30, batches=3, failed_batches=1, updates=20, delivered=20)
    assert "HTTP 502" in caplog.text
    again = await poller.poll_once()  # the next poll asks about the skipped batch again
    assert again.failed_batches == 0 and len(client.calls) == 6


async def test_nova_poshta_down_is_reported_not_raised(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    fake_np.mode = Mode.server_error
    sink = Recorder()
    poller = TrackingPoller(np_client, source=source_of(parcels(150)), sink=sink, interval=LONG)
    report = await poller.poll_once()
    assert report == PollReport(queried=150, batches=2, failed_batches=2)
    assert sink.updates == []


async def test_a_client_bug_is_contained(caplog: pytest.LogCaptureFixture) -> None:
    client = ScriptedClient(max_batch=5, fail=lambda call: KeyError("x") if call == 1 else None)
    sink = Recorder()
    poller = TrackingPoller(client, source=source_of(parcels(10)), sink=sink, interval=LONG)
    report = await poller.poll_once()
    assert (report.failed_batches, report.delivered) == (1, 5)


async def test_sink_errors_are_isolated(caplog: pytest.LogCaptureFixture) -> None:
    queries = parcels(5)
    sink = Recorder(failing=frozenset({queries[1].tracking_number, queries[3].tracking_number}))
    poller = TrackingPoller(ScriptedClient(), source=source_of(queries), sink=sink, interval=LONG)
    with caplog.at_level(logging.ERROR):
        report = await poller.poll_once()
    assert report == PollReport(queried=5, batches=1, updates=5, delivered=3, sink_errors=2)
    assert [u.tracking_number for u in sink.updates] == [
        queries[i].tracking_number for i in (0, 2, 4)
    ]
    assert caplog.text.count("cannot record the update") == 2


async def test_a_failing_source_is_reported() -> None:
    async def source() -> list[TrackingQuery]:
        raise ConnectionError("database gone")

    poller = TrackingPoller(ScriptedClient(), source=source, sink=Recorder(), interval=LONG)
    assert await poller.poll_once() == PollReport(source_failed=True)


async def test_nothing_to_track_asks_nobody() -> None:
    client = ScriptedClient()
    poller = TrackingPoller(client, source=source_of([]), sink=Recorder(), interval=LONG)
    assert await poller.poll_once() == PollReport()
    assert client.calls == []


class CountingSource:
    """Counts polls; lets a test await the n-th one."""

    def __init__(self) -> None:
        self.polls = 0
        self.polled = asyncio.Condition()

    async def __call__(self) -> list[TrackingQuery]:
        async with self.polled:
            self.polls += 1
            self.polled.notify_all()
        return parcels(1)

    async def wait_for(self, polls: int) -> None:
        async with asyncio.timeout(5), self.polled:
            await self.polled.wait_for(lambda: self.polls >= polls)


async def test_run_polls_at_once_then_on_wake_until_stopped() -> None:
    source, sink = CountingSource(), Recorder()
    poller = TrackingPoller(ScriptedClient(), source=source, sink=sink, interval=LONG)
    task = asyncio.create_task(poller.run())
    await source.wait_for(1)
    poller.wake()
    await source.wait_for(2)
    poller.stop()
    async with asyncio.timeout(5):
        await task
    assert source.polls == 2 and len(sink.updates) == 2


async def test_run_polls_every_interval() -> None:
    source = CountingSource()
    poller = TrackingPoller(ScriptedClient(), source=source, sink=Recorder(), interval=0.01)
    task = asyncio.create_task(poller.run())
    await source.wait_for(3)
    poller.stop()
    async with asyncio.timeout(5):
        await task
    assert source.polls >= 3


async def test_stop_before_run_returns_without_polling() -> None:
    source = CountingSource()
    poller = TrackingPoller(ScriptedClient(), source=source, sink=Recorder(), interval=LONG)
    poller.stop()
    async with asyncio.timeout(5):
        await poller.run()
    assert source.polls == 0


def test_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="interval"):
        TrackingPoller(ScriptedClient(), source=source_of([]), sink=Recorder(), interval=0)
