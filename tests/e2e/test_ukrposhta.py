"""Tracking straight from Ukrposhta: the poller asks the fake StatusTracking API, the customer hears."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.carriers.poller import TrackingPoller
from bot.domain.orders import Carrier
from tests.carriers.fake_ukrposhta import TOKEN, FakeUkrposhta, Mode, Samples, serve
from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.e2e.test_confirmation import start_token
from tests.e2e.test_tracking import shop_post

BARCODE = "0500000000017"
WRONG_TOKEN = "11111111-2222-3333-4444-555555555555"
LVIV = {"index": "79000", "name": "ЛЬВІВ 0"}


@pytest.fixture
def fake_up() -> FakeUkrposhta:
    return FakeUkrposhta(Samples.load())


@pytest.fixture
def token() -> str:
    return TOKEN


@pytest.fixture
async def extra_settings(fake_up: FakeUkrposhta, token: str) -> AsyncIterator[dict[str, object]]:
    async with serve(fake_up) as url:
        yield {
            "ukrposhta_tracking_token": token,
            "ukrposhta_api_url": url,
            "ukrposhta_poll_interval": "1h",
        }


def poller(world: World) -> TrackingPoller:
    found = world.app.tracking(Carrier.ukrposhta)
    assert found is not None
    return found


async def shipped_by_ukrposhta(world: World) -> None:
    delivery = {"carrier": "ukrposhta", "city": "Львів", "point": "79000", "address": None}
    order = await world.shop.create_order(external_id="A-1001", delivery=delivery)
    world.olena.send_command("/start", start_token(order["telegram_link"]))
    card = await world.telegram.wait_for_message(world.olena.id, "A-1001")
    await world.olena.press(card, "✅ Підтвердити").answer()
    await world.hooks.wait_for("order.confirmed")
    await shop_post(
        world,
        "/api/v1/orders/A-1001/shipment",
        {"carrier": "ukrposhta", "tracking_number": BARCODE},
    )
    shipped = await world.telegram.wait_for_message(world.olena.id, "🚚")
    assert BARCODE in shipped.visible and "Укрпошта" in shipped.visible


async def test_ukrposhta_says_arrived_reminds_and_received(world: World, fake_up: FakeUkrposhta):
    await shipped_by_ukrposhta(world)

    # Booked, not yet accepted at a post office: Ukrposhta answers 404 UPE02000, which is normal.
    report = await poller(world).poll_once()
    assert (report.queried, report.failed_batches, report.key_rejected) == (1, 0, False)
    assert fake_up.requests == [[BARCODE]]

    fake_up.add_event(BARCODE, "10100", "2026-11-18T15:00:00", index="01001", name="КИЇВ 1")
    fake_up.add_event(BARCODE, "20700", "2026-11-19T02:00:00", index="05300", name="ЦОКК 5 КИЇВ")
    fake_up.add_event(BARCODE, "21500", "2026-11-19T20:00:00", index="05300", name="ЦОКК 5 КИЇВ")
    fake_up.add_event(BARCODE, "21700", "2026-11-20T09:30:00", **LVIV)  # Friday, 07:30 UTC
    report = await poller(world).poll_once()
    assert report.delivered == 1 and report.sink_errors == 0

    arrived = await world.telegram.wait_for_message(world.olena.id, "📦")
    text = arrived.visible
    assert "79000 ЛЬВІВ 0" in text and "900,00" in text and BARCODE in text
    # Arrived on Friday: five working days free, Monday 23 to Friday 27 November.
    assert "27 листопада" in text
    order = await world.shop.get_order("A-1001")
    assert order["status"] == "arrived"
    assert order["shipment"]["storage_until"] == "2026-11-27"

    # The same answer again (and a "kept in storage" event) tells nobody anything new.
    fake_up.add_event(BARCODE, "21400", "2026-11-20T18:00:00", **LVIV)
    await poller(world).poll_once()

    world.clock.advance(datetime(2026, 11, 21, 9, 0, tzinfo=UTC) - world.clock.now())  # 11:00
    first = await world.telegram.wait_for_message(world.olena.id, "⏰")
    assert "79000 ЛЬВІВ 0" in first.visible
    world.clock.advance(datetime(2026, 11, 27, 9, 0, tzinfo=UTC) - world.clock.now())
    await world.telegram.wait_for_message(world.olena.id, "⏰")  # the last free day

    fake_up.add_event(BARCODE, "41000", "2026-11-27T12:40:00", **LVIV)
    await poller(world).poll_once()
    await world.telegram.wait_for_message(world.olena.id, "🎉")
    event = await world.hooks.wait_for("shipment.received")
    assert event["external_id"] == "A-1001"
    messages = world.telegram.bot_messages(world.olena.id)
    assert sum("📦" in m.visible for m in messages) == 1
    assert sum("⏰" in m.visible for m in messages) == 2
    assert (await world.shop.get_order("A-1001"))["status"] == "received"


async def test_sent_back_unclaimed_asks_the_customer_why(world: World, fake_up: FakeUkrposhta):
    await shipped_by_ukrposhta(world)
    fake_up.add_event(BARCODE, "21700", "2026-11-20T09:30:00", **LVIV)
    await poller(world).poll_once()
    await world.telegram.wait_for_message(world.olena.id, "📦")

    fake_up.add_event(BARCODE, "31200", "2026-11-20T09:45:00", **LVIV)
    fake_up.mode = Mode.server_error  # an outage first: nothing happens, nothing is lost
    assert (await poller(world).poll_once()).failed_batches == 1
    fake_up.mode = Mode.normal
    await poller(world).poll_once()
    await world.telegram.wait_for_message(world.olena.id, "чому")
    assert (await world.shop.get_order("A-1001"))["status"] == "returning"


@pytest.mark.parametrize("token", [WRONG_TOKEN])
async def test_a_rejected_token_tells_the_managers_once(world: World, fake_up: FakeUkrposhta):
    await shipped_by_ukrposhta(world)
    report = await poller(world).poll_once()
    assert report.key_rejected
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Укрпошта")
    assert "UKRPOSHTA_TRACKING_TOKEN" in alert.visible and WRONG_TOKEN not in alert.visible
    await poller(world).poll_once()

    fake_up.tokens.add(WRONG_TOKEN)  # Ukrposhta takes it again
    await poller(world).poll_once()
    await world.telegram.wait_for_message(MANAGERS_CHAT, "✅")
    told = [m for m in world.telegram.bot_messages(MANAGERS_CHAT) if "Укрпошта" in m.visible]
    assert len(told) == 2
