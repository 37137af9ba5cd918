"""Nova Poshta refusing the API key: the client says so, the poller stops asking and opens an
incident (the managers are told once, with what to do); the next answered poll clears it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.carriers.base import CarrierKeyRejected, CarrierUnavailable, TrackingQuery
from bot.carriers.novaposhta.client import NovaPoshtaClient
from bot.carriers.poller import TrackingPoller
from bot.clock import ManualClock
from bot.i18n import Catalogs
from bot.services.carrier_keys import CarrierKeyWatch
from bot.services.context import ServiceContext
from storage.uow import Database
from tests.carriers.conftest import API_KEY
from tests.carriers.fake_novaposhta import FakeNovaPoshta, Mode
from tests.carriers.test_poller import LONG, Recorder, parcels, source_of
from tests.delivery.conftest import later
from tests.delivery.helpers import outbox

MANAGERS = -100500
RECEIVED = TrackingQuery("20400048799001")


async def alerts(db: Database) -> list[str]:
    return [row.payload["text"] for row in (await outbox(db)).values() if row.chat_id == MANAGERS]


async def test_a_rejected_key_is_its_own_outage(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    fake_np.rejected_keys.add(API_KEY)
    with pytest.raises(CarrierKeyRejected) as caught:
        await np_client.track([RECEIVED])
    assert caught.value.reason == "Nova Poshta refused: API key expired"
    assert API_KEY not in caught.value.reason


async def test_other_refusals_are_not_about_the_key(
    np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    fake_np.mode = Mode.refused
    with pytest.raises(CarrierUnavailable) as caught:
        await np_client.track([RECEIVED])
    assert not isinstance(caught.value, CarrierKeyRejected)


async def test_rejected_key_tells_the_managers_once_and_clears_on_the_next_answered_poll(
    db: Database, clock: ManualClock, np_client: NovaPoshtaClient, fake_np: FakeNovaPoshta
) -> None:
    ctx = ServiceContext(catalogs=Catalogs(ZoneInfo("Europe/Kyiv")), manager_chat_id=MANAGERS)
    sink = Recorder()
    poller = TrackingPoller(
        np_client,
        source=source_of(parcels(250)),
        sink=sink,
        interval=LONG,
        key_watch=CarrierKeyWatch(db, ctx),
    )
    fake_np.rejected_keys.add(API_KEY)

    report = await poller.poll_once()
    assert report.key_rejected and report.failed_batches == 1
    assert len(fake_np.requests) == 1  # the other batches would be refused alike: not asked
    later(clock, 600)
    await poller.poll_once()  # refused again: no second alert

    (alert,) = await alerts(db)
    assert "Нова пошта відхиляє API-ключ Vykup</b> (з 10:00)" in alert
    assert "<code>Nova Poshta refused: API key expired</code>" in alert
    assert "NOVA_POSHTA_API_KEY" in alert and "Налаштування → Безпека" in alert
    assert sink.updates == []

    fake_np.rejected_keys.clear()  # a new key is set
    later(clock, 600)
    report = await poller.poll_once()
    assert not report.key_rejected and report.delivered == 250
    later(clock, 600)
    await poller.poll_once()  # still fine: nothing more said

    first, cleared = await alerts(db)
    assert first == alert
    assert cleared == (
        "✅ <b>Нова пошта знову приймає API-ключ Vykup</b>; посилки знову відстежуються. "
        "Ключ відхилявся з 10:00 до 10:20."
    )
