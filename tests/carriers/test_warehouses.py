"""NovaPoshtaPoints against the fake getWarehouses built from refdata's samples."""

from __future__ import annotations

from decimal import Decimal

import aiohttp
import pytest

from bot.carriers.base import CarrierKeyRejected, CarrierUnavailable
from bot.carriers.novaposhta import warehouses
from bot.carriers.novaposhta.warehouses import NovaPoshtaPoints, parse_warehouse
from tests.carriers import refdata
from tests.carriers.conftest import API_KEY
from tests.carriers.fake_novaposhta import FakeNovaPoshta, Mode


@pytest.fixture
def points(http: aiohttp.ClientSession, np_url: str) -> NovaPoshtaPoints:
    return NovaPoshtaPoints(http, api_key=API_KEY, api_url=np_url, timeout=2.0)


def test_the_sample_branch_reads_as_a_point() -> None:
    raw = refdata.load(refdata.WAREHOUSES)["data"][0]
    point = parse_warehouse(raw)
    assert point is not None
    assert point.ref == "1ec09d88-e1c2-11e3-8c4a-0050568002cf"
    assert point.number == "1"
    assert point.description == "Відділення №1: вул. Пирогівський шлях, 135"
    assert point.working and not point.locker
    assert point.max_weight == Decimal("1100")  # TotalMaxWeightAllowed "0": no limit stated


def test_closed_denied_and_lockers() -> None:
    raw = refdata.load(refdata.WAREHOUSES)["data"][0]
    assert not parse_warehouse({**raw, "WarehouseStatus": "NotWorking"}).working  # type: ignore[union-attr]
    assert not parse_warehouse({**raw, "DenyToSelect": "1"}).working  # type: ignore[union-attr]
    locker = parse_warehouse(
        {**raw, "CategoryOfWarehouse": "Postomat", "PlaceMaxWeightAllowed": "20"}
    )
    assert locker is not None and locker.locker and locker.max_weight == Decimal("20")
    assert parse_warehouse({**raw, "Ref": "not-a-guid"}) is None
    assert parse_warehouse({**raw, "Description": ""}) is None
    assert parse_warehouse("garbage") is None


async def test_a_city_is_asked_by_name_page_by_page(
    points: NovaPoshtaPoints, fake_np: FakeNovaPoshta, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warehouses, "PAGE_LIMIT", 2)
    for number in (2, 3, 4, 5):
        fake_np.warehouses.add("Київ", number, f"вул. Хрещатик, {number}")
    fake_np.warehouses.add("Львів", 1, "вул. Городоцька, 1")

    found = await points.city_points("київ")

    assert [p.number for p in found] == ["1", "2", "3", "4", "5"]
    asked = [body["methodProperties"] for body in fake_np.warehouse_requests]
    assert [a["Page"] for a in asked] == [1, 2, 3]
    assert {a["CityName"] for a in asked} == {"київ"} and all(a["Limit"] == 2 for a in asked)
    assert fake_np.warehouse_requests[0]["modelName"] == "Address"
    assert await points.city_points("Одеса") == []


@pytest.mark.parametrize(
    "mode",
    [
        Mode.server_error,
        Mode.not_json,
        Mode.refused,
        Mode.not_object,
        Mode.no_data,
        Mode.data_not_list,
    ],
)
async def test_an_answer_that_is_not_a_list_of_points_is_unavailable(
    points: NovaPoshtaPoints, fake_np: FakeNovaPoshta, mode: Mode
) -> None:
    fake_np.mode = mode
    with pytest.raises(CarrierUnavailable):
        await points.city_points("Київ")


async def test_a_rejected_key_says_so(points: NovaPoshtaPoints, fake_np: FakeNovaPoshta) -> None:
    fake_np.rejected_keys.add(API_KEY)
    with pytest.raises(CarrierKeyRejected):
        await points.city_points("Київ")


async def test_slow_nova_poshta_times_out(
    http: aiohttp.ClientSession, np_url: str, fake_np: FakeNovaPoshta
) -> None:
    fake_np.mode = Mode.slow
    slow = NovaPoshtaPoints(http, api_key=API_KEY, api_url=np_url, timeout=0.2)
    with pytest.raises(CarrierUnavailable, match="no answer"):
        await slow.city_points("Київ")


async def test_garbled_fields_cost_only_themselves(
    points: NovaPoshtaPoints, fake_np: FakeNovaPoshta
) -> None:
    fake_np.warehouses.add("Київ", 12, "вул. Хрещатик, 22")
    fake_np.mode = Mode.wrong_types

    found = await points.city_points("Київ")

    assert [p.number for p in found] == ["1", "12"]  # the junk items are skipped
    assert [(p.max_weight, p.short_address) for p in found] == [(None, "")] * 2
    assert all(p.working for p in found)  # an unreadable status is not held against a point
