"""The customer extends the free storage through Nova Poshta, end to end: press → the new day and
the cost → confirm → the new day on the card and in the messages, the reminders moved, the shop
told; pressing again changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from tests.carriers.fake_novaposhta import FakeNovaPoshta, Samples, serve
from tests.e2e.conftest import MANAGERS_CHAT, World
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


async def arrived_with_extension(world: World, fake_np: FakeNovaPoshta):  # type: ignore[no-untyped-def]
    await confirmed_and_shipped(world)
    await world.telegram.wait_for_message(world.olena.id, "🚚")
    fake_np.register(
        WAYBILL, 7, DatePayedKeeping="2026-11-27 00:00:00", PossibilityTermExtension=True
    )
    assert world.app.poller is not None
    await world.app.poller.poll_once()
    return await world.telegram.wait_for_message(world.olena.id, "📦")


async def pickup_timers(world: World) -> list[str]:
    order = await world.shop.get_order("A-1001")
    async with world.app.db.read() as uow:
        row = await uow.orders.by_external_id(order["external_id"])
        assert row is not None
        return sorted(
            f"{t.kind}@{t.due_at.date().isoformat()}"
            for t in await uow.timers.of_order(row.id)
            if t.kind.startswith("pickup") and t.done_at is None
        )


async def test_the_customer_extends_the_storage_and_everyone_hears(
    world: World, fake_np: FakeNovaPoshta
) -> None:
    arrived = await arrived_with_extension(world, fake_np)
    assert "26 листопада" in arrived.visible
    before = await pickup_timers(world)
    fake_np.storage.offer(WAYBILL, date(2026, 12, 3), "60.00")

    await world.olena.press(arrived, "🗓 Продовжити зберігання").answer()
    offer = await world.telegram.wait_for_message(world.olena.id, "Продовжити зберігання?")
    assert "3 грудня" in offer.visible and "60,00" in offer.visible
    assert fake_np.storage.orders == []  # asked, not ordered
    [confirm_data] = [
        b["callback_data"] for b in offer.inline_buttons if b["text"] == "✅ Підтвердити"
    ]

    await world.olena.press(offer, "✅ Підтвердити").answer()
    done = (await world.telegram.wait_for_edit(world.olena.id, offer.message_id)).message
    assert "✅ Готово" in done.visible and "3 грудня" in done.visible
    told = await world.telegram.wait_for_message(world.olena.id, "🗓")
    assert "3 грудня" in told.visible
    event = await world.hooks.wait_for("shipment.storage_extended")
    assert (event["storage_free_until"], event["storage_extension_cost"]) == ("2026-12-03", "60.00")
    order = await world.shop.get_order("A-1001")
    assert order["shipment"]["storage_until"] == "2026-12-03"
    after = await pickup_timers(world)
    assert after != before and any("2026-12-03" in timer for timer in after)

    again = await world.olena.press_forged(offer.message_id, confirm_data).answer()
    assert again.show_alert and "вже продовжено" in again.text
    assert len(fake_np.storage.orders) == 1
    assert not [m for m in world.telegram.bot_messages(MANAGERS_CHAT) if "🗓" in m.visible]


async def test_nova_poshta_says_no_and_a_manager_gets_the_task(
    world: World, fake_np: FakeNovaPoshta
) -> None:
    arrived = await arrived_with_extension(world, fake_np)  # no offer registered: NP says no

    answer = await world.olena.press(arrived, "🗓 Продовжити зберігання").answer()
    assert answer.show_alert and "менеджера" in answer.text
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "🗓")
    assert WAYBILL in alert.visible and "Експрес-накладна не знайдена" in alert.visible
    await world.hooks.wait_for("shipment.storage_extension_requested")
    assert fake_np.storage.orders == []
