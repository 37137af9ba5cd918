"""Tracking straight from Nova Poshta: the poller asks, the customer hears."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.carriers.fake_novaposhta import FakeNovaPoshta, Mode, Samples, serve
from tests.e2e.conftest import World
from tests.e2e.test_tracking import WAYBILL, confirmed_and_shipped


@pytest.fixture
def fake_np() -> FakeNovaPoshta:
    return FakeNovaPoshta(Samples.load())


@pytest.fixture
async def extra_settings(fake_np: FakeNovaPoshta) -> AsyncIterator[dict[str, object]]:
    async with serve(fake_np) as url:
        yield {
            "nova_poshta_api_key": "np-test-key",
            "nova_poshta_api_url": url,
            "nova_poshta_poll_interval": "1h",
        }


async def test_nova_poshta_says_arrived_then_received(world: World, fake_np: FakeNovaPoshta):
    await confirmed_and_shipped(world)
    await world.telegram.wait_for_message(world.olena.id, "🚚")
    fake_np.register(
        WAYBILL,
        7,
        DatePayedKeeping="2026-11-27 00:00:00",
        RecipientAddress="Відділення №3: вул. Січових Стрільців, 7",
        ScheduledDeliveryDate="20-11-2026 12:00:00",
    )
    assert world.app.poller is not None
    report = await world.app.poller.poll_once()
    assert report.delivered >= 1
    arrived = await world.telegram.wait_for_message(world.olena.id, "📦")
    assert "вул. Січових Стрільців, 7" in arrived.visible and "26 листопада" in arrived.visible
    asked = fake_np.requests[-1]["methodProperties"]["Documents"]
    assert {"DocumentNumber": WAYBILL, "Phone": "380501234567"} in asked

    # Nova Poshta repeating itself changes nothing; an outage changes nothing either.
    await world.app.poller.poll_once()
    fake_np.mode = Mode.server_error
    await world.app.poller.poll_once()
    fake_np.mode = Mode.normal
    fake_np.register(WAYBILL, 9, RecipientDateTime="21.11.2026 12:30:00")
    await world.app.poller.poll_once()
    await world.telegram.wait_for_message(world.olena.id, "🎉")
    event = await world.hooks.wait_for("shipment.received")
    assert event["external_id"] == "A-1001"
    assert sum("📦" in m.visible for m in world.telegram.bot_messages(world.olena.id)) == 1
    assert (await world.shop.get_order("A-1001"))["status"] == "received"


async def test_nova_poshta_extends_the_storage(world: World, fake_np: FakeNovaPoshta):
    """A changed DatePayedKeeping on a parcel already at the branch: the customer hears the day."""
    await confirmed_and_shipped(world)
    await world.telegram.wait_for_message(world.olena.id, "🚚")
    fake_np.register(WAYBILL, 7, DatePayedKeeping="2026-11-27 00:00:00")
    assert world.app.poller is not None
    await world.app.poller.poll_once()
    await world.telegram.wait_for_message(world.olena.id, "📦")

    fake_np.register(WAYBILL, 7, DatePayedKeeping="2026-12-02 00:00:00")
    report = await world.app.poller.poll_once()

    assert report.sink_errors == 0
    told = await world.telegram.wait_for_message(world.olena.id, "🗓")
    assert "1 грудня" in told.visible
    order = await world.shop.get_order("A-1001")
    assert order["shipment"]["storage_until"] == "2026-12-01"
