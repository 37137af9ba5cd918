"""NovaPoshtaClient against the local fake NP: the samples, batching, and every broken mode."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date

import aiohttp
import pytest

from bot.carriers.base import CarrierUnavailable, TrackingQuery
from bot.carriers.novaposhta.client import MAX_BATCH, NovaPoshtaClient, np_phone
from bot.domain.shipments import ShipmentStatus
from tests.carriers import refdata
from tests.carriers.conftest import API_KEY
from tests.carriers.fake_novaposhta import FakeNovaPoshta, Mode

RECEIVED_WITH_PHONE = TrackingQuery("59000777777777", "+380601111111")
RECEIVED_PLATX = TrackingQuery("20400048799001", "+380600000000")
NOT_FOUND = TrackingQuery("20400048799000", None)


def numbers(count: int, start: int = 20450000000000) -> list[str]:
    return [str(start + i) for i in range(count)]


async def test_answers_from_the_samples_in_query_order(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    updates = await np_client.track([RECEIVED_WITH_PHONE, NOT_FOUND, RECEIVED_PLATX])
    assert [u.tracking_number for u in updates] == [
        "59000777777777",
        "20400048799000",
        "20400048799001",
    ]
    complete, missing, platx = updates
    assert complete.status is ShipmentStatus.received
    assert complete.point == "м. Шир, Відділення №1, площа Більбо, 1"  # the phone matched
    assert missing.not_found and missing.status is None
    assert platx.paid_storage_from == date(2023, 4, 14)
    assert len(fake_np.requests) == 1


async def test_request_carries_key_method_and_phone_like_the_sample(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    await np_client.track([RECEIVED_WITH_PHONE, NOT_FOUND])
    (body,) = fake_np.requests
    sample = refdata.load(refdata.REQUEST)
    assert body.keys() == sample.keys()
    assert body["apiKey"] == API_KEY
    assert body["modelName"] == sample["modelName"] == "TrackingDocument"
    assert body["calledMethod"] == sample["calledMethod"] == "getStatusDocuments"
    assert body["methodProperties"]["Documents"] == [
        {"DocumentNumber": "59000777777777", "Phone": "380601111111"},
        {"DocumentNumber": "20400048799000"},  # no phone known: none sent
    ]


async def test_without_the_right_phone_np_hides_details(np_client: NovaPoshtaClient) -> None:
    (update,) = await np_client.track([TrackingQuery("59000777777777", "+380991234567")])
    assert update.status is ShipmentStatus.received
    assert update.point == "Ісенґард, провулок Морії, 14а"  # the no-phone sample


@pytest.mark.parametrize(
    ("phone", "expected"),
    [("+380501234567", "380501234567"), ("0501234567", "380501234567"), (None, None), ("", None)],
)
def test_phone_for_np(phone: str | None, expected: str | None) -> None:
    assert np_phone(phone) == expected


async def test_250_parcels_go_in_three_requests_of_at_most_100(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    wanted = numbers(250)
    for number in wanted[::2]:
        fake_np.register(number, "7")
    updates = await np_client.track([TrackingQuery(n, "+380501234567") for n in wanted])
    assert [len(batch) for batch in fake_np.requested_numbers] == [100, 100, 50]
    assert MAX_BATCH == np_client.max_batch == 100
    assert [u.tracking_number for u in updates] == wanted
    assert sum(u.status is ShipmentStatus.arrived for u in updates) == 125
    assert sum(u.not_found for u in updates) == 125
    assert all(
        doc.get("Phone") == "380501234567"
        for body in fake_np.requests
        for doc in body["methodProperties"]["Documents"]
    )


async def test_spellings_of_one_number_are_asked_once_and_answered_each(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    updates = await np_client.track(
        [TrackingQuery("2040 0048 7990 01", None), TrackingQuery("20400048799001", "+380600000000")]
    )
    assert fake_np.requests[0]["methodProperties"]["Documents"] == [
        {"DocumentNumber": "20400048799001", "Phone": "380600000000"}
    ]
    assert [u.tracking_number for u in updates] == ["2040 0048 7990 01", "20400048799001"]
    assert {u.status for u in updates} == {ShipmentStatus.received}


async def test_malformed_numbers_are_not_sent(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    updates = await np_client.track([TrackingQuery("TTN-12", None), TrackingQuery("  ", None)])
    assert [(u.tracking_number, u.not_found) for u in updates] == [("TTN-12", True), ("  ", True)]
    assert fake_np.requests == []


async def test_a_number_np_names_invalid_does_not_sink_the_batch(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    # The romabilka sample: success false, "Document number is not correct",
    # warnings ["Invalid DocumentNumber: 445"].
    updates = await np_client.track([RECEIVED_PLATX, TrackingQuery("445", None), NOT_FOUND])
    assert [(u.tracking_number, u.status, u.not_found) for u in updates] == [
        ("20400048799001", ShipmentStatus.received, False),
        ("445", None, True),
        ("20400048799000", None, True),
    ]
    assert updates[1].carrier_text == "Document number is not correct"
    assert fake_np.requested_numbers[1] == ["20400048799001", "20400048799000"]


async def test_an_unnamed_invalid_number_is_found_by_halving(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    fake_np.name_invalid_numbers = False  # the platx error sample names no number
    wanted = [*numbers(99), "445"]
    updates = await np_client.track([TrackingQuery(n, None) for n in wanted])
    assert [u.tracking_number for u in updates] == wanted
    assert [u.tracking_number for u in updates if u.carrier_code is None] == ["445"]
    assert len(fake_np.requests) <= 1 + 2 * 7


async def test_np_refusing_every_number_is_an_outage(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    fake_np.mode = Mode.bad_number
    with pytest.raises(CarrierUnavailable):
        await np_client.track([TrackingQuery(n, None) for n in numbers(100)])
    assert len(fake_np.requests) <= 25


async def test_np_refusing_the_only_number_means_not_found(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    fake_np.mode = Mode.bad_number
    (update,) = await np_client.track([RECEIVED_PLATX])
    assert update.not_found and update.carrier_text == "Document number is not correct"


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        (Mode.server_error, "HTTP 500"),
        (Mode.not_json, "not JSON"),
        (Mode.refused, "Service is temporarily unavailable"),
        (Mode.no_data, "no 'data' list"),
        (Mode.data_not_list, "no 'data' list"),
        (Mode.not_object, "not an object"),
    ],
)
async def test_broken_answers_are_outages(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta, mode: Mode, reason: str
) -> None:
    fake_np.mode = mode
    with pytest.raises(CarrierUnavailable) as caught:
        await np_client.track([RECEIVED_WITH_PHONE, NOT_FOUND])
    assert reason in caught.value.reason
    assert API_KEY not in caught.value.reason


async def test_slow_np_times_out(
    http: aiohttp.ClientSession, np_url: str, fake_np: FakeNovaPoshta
) -> None:
    fake_np.mode = Mode.slow
    client = NovaPoshtaClient(http, api_key=API_KEY, api_url=np_url, timeout=0.2)
    with pytest.raises(CarrierUnavailable) as caught:
        await client.track([RECEIVED_WITH_PHONE])
    assert "no answer within 0.2 s" in caught.value.reason
    assert len(fake_np.requests) == 1


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound but not listening: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


async def test_connection_refused_is_an_outage(
    http: aiohttp.ClientSession, closed_port: int
) -> None:
    url = f"http://127.0.0.1:{closed_port}/v2.0/json/"
    client = NovaPoshtaClient(http, api_key=API_KEY, api_url=url, timeout=2.0)
    with pytest.raises(CarrierUnavailable) as caught:
        await client.track([RECEIVED_WITH_PHONE])
    assert "connection failed" in caught.value.reason


async def test_wrong_field_types_cost_only_those_fields(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    fake_np.mode = Mode.wrong_types
    updates = await np_client.track([RECEIVED_WITH_PHONE, RECEIVED_PLATX, NOT_FOUND])
    assert [(u.tracking_number, u.status, u.not_found) for u in updates] == [
        ("59000777777777", ShipmentStatus.received, False),
        ("20400048799001", ShipmentStatus.received, False),
        ("20400048799000", None, True),
    ]
    garbled = updates[0]
    assert garbled.occurred_at is None and garbled.point is None
    assert garbled.paid_storage_from is None and garbled.cod_amount is None
    assert garbled.can_extend_storage is None and garbled.expected_delivery is None


async def test_the_key_is_not_in_repr(np_client: NovaPoshtaClient) -> None:
    assert API_KEY not in repr(np_client)
