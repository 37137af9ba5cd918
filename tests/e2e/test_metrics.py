"""What the running bot reports on ``/metrics`` after real traffic: updates, sends, 429s, leadership."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import World


async def scrape(world: World) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    url = f"http://127.0.0.1:{world.app.api_port}/metrics"
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert response.status == 200
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def confirmed(world: World, external_id: str) -> None:
    """Olena opens the order's link and confirms it; the shop has heard."""
    order = await world.shop.create_order(external_id=external_id)
    world.olena.send_command("/start", order["telegram_link"].rsplit("=", 1)[1])
    card = await world.telegram.wait_for_message(world.olena.id, external_id)
    await world.olena.press(card, "✅ Підтвердити").answer()
    await world.hooks.wait_for("order.confirmed")


async def test_updates_sends_and_429s_are_counted(world: World):
    await confirmed(world, "P-1")

    world.force_storm(2)  # Telegram refuses the next two sends: the next card waits them out
    await world.shop.create_order(external_id="P-2", customer={"telegram_id": world.olena.id})
    await world.telegram.wait_for_message(world.olena.id, "P-2", timeout=15)
    await world.app.worker.drain(timeout=15)

    samples = await scrape(world)
    assert samples[("vykup_updates_handled_total", (("kind", "message"),))] == 1
    assert samples[("vykup_updates_handled_total", (("kind", "callback_query"),))] == 1
    sent = samples[("vykup_messages_total", (("outcome", "sent"), ("reason", "")))]
    assert sent == world.app.worker.stats.sent >= 4  # 2 cards, an edit, shop webhooks
    assert samples[("vykup_telegram_429_total", ())] == 2
    assert samples[("vykup_leader", (("duty", "worker"),))] == 1
    assert samples[("vykup_leader", (("duty", "updates"),))] == 1
    assert samples[("vykup_outbox_depth", ())] == 0


async def test_delivered_messages_are_pruned_after_a_month_and_counted(world: World):
    await confirmed(world, "P-1")
    await world.app.worker.drain(timeout=15)
    async with world.db.read() as uow:
        delivered = len(await uow.outbox.oldest_after(0, 1000))
    assert delivered >= 3  # the card, its edit, the shop's webhook

    world.clock.advance(timedelta(days=31))
    assert world.app.housekeeping is not None
    await world.app.housekeeping.run_once()  # or the loop did, woken by the clock: once either way

    samples = await scrape(world)
    assert samples[("vykup_pruned_rows_total", (("kind", "messages"),))] == delivered
    async with world.db.read() as uow:
        assert await uow.outbox.oldest_after(0, 1000) == []
        assert await uow.orders.by_external_id("P-1") is not None
    # The customer's chat is untouched, and the bot still works for her.
    await world.shop.create_order(external_id="P-2", customer={"telegram_id": world.olena.id})
    await world.telegram.wait_for_message(world.olena.id, "P-2")
