"""UkrposhtaClient against the strict fake built from refdata/ukrposhta."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import aiohttp
import pytest

from bot.carriers.base import CarrierKeyRejected, CarrierUnavailable, TrackingQuery
from bot.carriers.ukrposhta.client import MAX_BATCH, UkrposhtaClient
from bot.carriers.ukrposhta.parse import parse_events, read_answer
from bot.domain.shipments import ShipmentStatus
from tests.carriers import ukrposhta_refdata
from tests.carriers.fake_ukrposhta import TOKEN, FakeUkrposhta, Mode, Samples, serve

DELIVERED = "0500128254873"  # the sample: 41000 at ОЛЕВСЬК 1
RETURNED = "0500128254610"  # the sample: at the office, then 41000 "відправнику"
FRESH = "RA067022855UA"  # in the sample's notFound


@pytest.fixture
def fake_up() -> FakeUkrposhta:
    return FakeUkrposhta(Samples.load())


@pytest.fixture
async def up_url(fake_up: FakeUkrposhta) -> AsyncIterator[str]:
    async with serve(fake_up) as url:
        yield url


@pytest.fixture
async def client(up_url: str) -> AsyncIterator[UkrposhtaClient]:
    async with aiohttp.ClientSession() as http:
        yield UkrposhtaClient(http, token=TOKEN, api_url=up_url, timeout=2.0)


def queries(*numbers: str) -> list[TrackingQuery]:
    return [TrackingQuery(tracking_number=n) for n in numbers]


def test_the_sample_parses_as_ukrposhta_wrote_it():
    answer = read_answer(ukrposhta_refdata.load(ukrposhta_refdata.SAMPLE))
    assert set(answer.found) == {DELIVERED, RETURNED} and FRESH in answer.not_found
    delivered = parse_events(answer.found[DELIVERED], tracking_number=DELIVERED)
    assert delivered is not None
    assert delivered.status is ShipmentStatus.received and delivered.carrier_code == "41000"
    assert delivered.occurred_at == datetime(2019, 2, 7, 14, 36, tzinfo=UTC)  # 16:36 in Kyiv
    assert delivered.point is None and delivered.paid_storage_from is None
    returned = parse_events(answer.found[RETURNED], tracking_number=RETURNED)
    assert returned is not None and returned.status is ShipmentStatus.returned
    # It waited at ЦОКК 5 КИЇВ from Wed 13 Feb 2019: five working days, paid from Thu 21 Feb.
    assert returned.point == "05300 ЦОКК 5 КИЇВ"
    assert returned.paid_storage_from == date(2019, 2, 21)


async def test_track_reads_found_and_not_found(client: UkrposhtaClient, fake_up: FakeUkrposhta):
    updates = await client.track(queries(DELIVERED, RETURNED, FRESH))
    by_number = {u.tracking_number: u for u in updates}
    assert by_number[DELIVERED].status is ShipmentStatus.received
    assert by_number[RETURNED].status is ShipmentStatus.returned
    assert by_number[FRESH].not_found and by_number[FRESH].status is None
    assert fake_up.requests == [[DELIVERED, RETURNED, FRESH]]
    assert fake_up.paths == ["/status-tracking/0.0.1/statuses/with-not-found"]


async def test_arrived_with_the_office_and_the_storage_rule(
    client: UkrposhtaClient, fake_up: FakeUkrposhta
):
    number = "0500000000017"
    fake_up.add_event(number, "10100", "2026-11-16T10:00:00", index="01001", name="КИЇВ 1")
    fake_up.add_event(number, "20700", "2026-11-16T20:00:00", index="05300", name="ЦОКК 5 КИЇВ")
    fake_up.add_event(number, "21700", "2026-11-18T09:15:00", index="79000", name="ЛЬВІВ 0")
    fake_up.add_event(number, "21400", "2026-11-19T09:00:00", index="79000", name="ЛЬВІВ 0")
    [update] = await client.track(queries(number))
    assert update.status is ShipmentStatus.arrived and update.carrier_code == "21400"
    assert update.occurred_at == datetime(2026, 11, 18, 7, 15, tzinfo=UTC)  # the first arrival
    assert update.point == "79000 ЛЬВІВ 0"
    assert update.paid_storage_from == date(2026, 11, 26)  # arrived Wed: free Thu-Wed
    assert update.cod_amount is None  # tracking does not say; the order's total is shown


async def test_a_fresh_parcel_alone_is_the_404_upe02000(
    client: UkrposhtaClient, fake_up: FakeUkrposhta
):
    [update] = await client.track(queries("0500000000999"))
    assert update.not_found and update.status is None


async def test_malformed_barcodes_are_not_sent(client: UkrposhtaClient, fake_up: FakeUkrposhta):
    updates = await client.track(queries("12345", "ra 067022855 ua", DELIVERED))
    assert {u.tracking_number: u.not_found for u in updates} == {
        "12345": True,
        "ra 067022855 ua": True,  # as asked; sent as RA067022855UA, which is not found
        DELIVERED: False,
    }
    assert fake_up.requests == [["RA067022855UA", DELIVERED]]


async def test_batches_stay_within_the_ceiling(client: UkrposhtaClient, fake_up: FakeUkrposhta):
    numbers = [f"05000000{i:05d}" for i in range(MAX_BATCH * 2 + 5)] + [DELIVERED]
    updates = await client.track(queries(*numbers))
    assert [len(r) for r in fake_up.requests] == [100, 100, 6]
    assert sum(not u.not_found for u in updates) == 1 and len(updates) == len(numbers)
    assert client.max_batch == 100


async def test_a_wrong_token_is_a_rejected_key(up_url: str, fake_up: FakeUkrposhta):
    async with aiohttp.ClientSession() as http:
        wrong = UkrposhtaClient(http, token="not-the-token", api_url=up_url)
        with pytest.raises(CarrierKeyRejected, match="401"):
            await wrong.track(queries(DELIVERED))
    assert fake_up.requests == []


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        (Mode.server_error, "HTTP 502"),
        (Mode.rate_limited, "HTTP 429"),
        (Mode.not_json, "not JSON"),
        (Mode.not_object, "not a JSON object"),
        (Mode.slow, "no answer"),
    ],
)
async def test_outages_and_garbage_are_unavailable(
    client: UkrposhtaClient, fake_up: FakeUkrposhta, mode: Mode, reason: str
):
    fake_up.mode = mode
    with pytest.raises(CarrierUnavailable, match=reason) as caught:
        await client.track(queries(DELIVERED))
    assert not isinstance(caught.value, CarrierKeyRejected)


async def test_garbled_events_cost_only_themselves(client: UkrposhtaClient, fake_up: FakeUkrposhta):
    fake_up.mode = Mode.garbage
    updates = await client.track(queries(DELIVERED, FRESH))
    by_number = {u.tracking_number: u for u in updates}
    assert by_number[DELIVERED].status is ShipmentStatus.received
    assert by_number[FRESH].not_found
    assert set(by_number) == {DELIVERED, FRESH}  # nothing for barcodes not asked


async def test_the_last_event_variant_reads_too(up_url: str, fake_up: FakeUkrposhta):
    number = "0500000000025"
    fake_up.add_event(number, "21700", "2026-11-18T09:15:00")
    async with aiohttp.ClientSession() as http:
        client = UkrposhtaClient(http, token=TOKEN, api_url=up_url)
        client._url = up_url + "/statuses/last/with-not-found"  # the endpoint X1 uses
        [update] = await client.track(queries(number))
    assert update.status is ShipmentStatus.arrived and update.point == "03150 КИЇВ 150"


def test_the_token_is_never_shown():
    client = UkrposhtaClient(None, token="secret-uuid")  # type: ignore[arg-type]
    assert "secret-uuid" not in repr(client)
