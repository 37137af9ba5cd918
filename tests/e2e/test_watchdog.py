"""The running bot's elected worker runs the watchdog among its duties."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.incidents import IncidentKind
from tests.e2e.conftest import World


async def test_the_elected_worker_runs_the_watchdog_and_a_quiet_outbox_alerts_nobody(
    world: World,
) -> None:
    order = await world.shop.create_order(external_id="W-1")
    assert order["telegram_link"]
    await world.app.worker.drain(timeout=15)
    world.clock.advance(timedelta(minutes=20))  # everything queued went out long ago

    watchdog = world.app.watchdog
    assert watchdog is not None
    assert await watchdog.run_once() is False
    async with world.db.read() as uow:
        assert await uow.incidents.get(IncidentKind.outbox_stale.value) is None
