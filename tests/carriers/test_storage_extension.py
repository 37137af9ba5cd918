"""NovaPoshtaStorageExtension against the fake NP's storage desk: possible, not possible, errors,
timeouts, garbage, and the save only behind a check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import aiohttp
import pytest

from bot.carriers.base import CarrierKeyRejected, CarrierUnavailable
from bot.carriers.novaposhta.storage import NovaPoshtaStorageExtension
from bot.carriers.storage_extension import ExtensionOffer, ExtensionRefused
from tests.carriers.conftest import API_KEY
from tests.carriers.fake_novaposhta import FakeNovaPoshta
from tests.carriers.fake_np_storage import NOT_FOUND, NOT_POSSIBLE, StorageDesk, StorageMode

NUMBER = "20450000000001"
NEW_DAY = date(2026, 12, 14)


@pytest.fixture
def extension(http: aiohttp.ClientSession, np_url: str) -> NovaPoshtaStorageExtension:
    return NovaPoshtaStorageExtension(http, api_key=API_KEY, api_url=np_url, timeout=1.0)


@pytest.fixture
def desk(fake_np: FakeNovaPoshta) -> StorageDesk:
    fake_np.storage.offer(NUMBER, NEW_DAY, "60.00")
    return fake_np.storage


async def test_check_then_order(extension: NovaPoshtaStorageExtension, desk: StorageDesk) -> None:
    offer = await extension.check_extension("2045 0000 0000 01")
    assert offer == ExtensionOffer(NUMBER, NEW_DAY, Decimal("60.00"))
    ordered = await extension.order_extension(offer)
    assert ordered.last_free_day == NEW_DAY and ordered.reference == "102-00000001"
    check, save = desk.requests
    assert check["modelName"] == "AdditionalService" and check["apiKey"] == API_KEY
    assert check["calledMethod"] == "CheckPossibilityTermExtension"
    assert check["methodProperties"] == {"IntDocNumber": NUMBER}
    assert save["calledMethod"] == "save"
    assert save["methodProperties"]["OrderType"] == "orderTermExtension"
    assert save["methodProperties"]["StorageFinalDate"] == "14.12.2026"
    assert len(desk.orders) == 1


async def test_not_possible_in_the_carriers_words(
    extension: NovaPoshtaStorageExtension, desk: StorageDesk
) -> None:
    desk.mode = StorageMode.not_possible
    with pytest.raises(ExtensionRefused) as caught:
        await extension.check_extension(NUMBER)
    assert caught.value.reason == NOT_POSSIBLE


async def test_unknown_number_is_refused(
    extension: NovaPoshtaStorageExtension, desk: StorageDesk
) -> None:
    with pytest.raises(ExtensionRefused) as caught:
        await extension.check_extension("20450000000999")
    assert caught.value.reason == NOT_FOUND[0]


async def test_an_answer_without_a_date_is_not_acted_on(
    extension: NovaPoshtaStorageExtension, desk: StorageDesk
) -> None:
    desk.mode = StorageMode.no_date
    with pytest.raises(ExtensionRefused):
        await extension.check_extension(NUMBER)


async def test_refused_save(extension: NovaPoshtaStorageExtension, desk: StorageDesk) -> None:
    offer = await extension.check_extension(NUMBER)
    desk.mode = StorageMode.refused_save
    with pytest.raises(ExtensionRefused):
        await extension.order_extension(offer)
    assert desk.orders == []


async def test_save_without_check_is_refused_by_the_strict_fake(
    extension: NovaPoshtaStorageExtension,
    desk: StorageDesk,
) -> None:
    with pytest.raises(ExtensionRefused, match="StorageFinalDate"):
        await extension.order_extension(ExtensionOffer(NUMBER, date(2027, 1, 1), None))


@pytest.mark.parametrize("mode", [StorageMode.slow, StorageMode.garbage])
async def test_timeout_and_garbage_are_unavailable(
    extension: NovaPoshtaStorageExtension,
    desk: StorageDesk,
    mode: StorageMode,
) -> None:
    desk.mode = mode
    with pytest.raises(CarrierUnavailable):
        await extension.check_extension(NUMBER)


async def test_a_refused_key(http: aiohttp.ClientSession, np_url: str, desk: StorageDesk) -> None:
    client = NovaPoshtaStorageExtension(http, api_key="", api_url=np_url)
    with pytest.raises(CarrierKeyRejected):
        await client.check_extension(NUMBER)
