"""Telegram answers 502 Bad Gateway for 30 seconds, then recovers: every message still arrives,
once, and in order within each chat."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from storage.models import OutboxMessage
from storage.repositories.outbox import PENDING, SENT
from tests.e2e.conftest import World
from tests.fault.notices import customers, queue_notices, seen

OUTAGE_SECONDS = 30
PER_CHAT = 4


async def states(world: World) -> dict[str, int]:
    async with world.db.uow() as uow:
        rows = await uow.session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
        )
        return {state: count for state, count in rows.all()}


async def test_a_30_second_outage_delays_but_loses_and_reorders_nothing(world: World):
    chats = customers(world.telegram, 3)
    worker = world.app.worker
    assert worker is not None

    world.telegram.set_outage(True)
    queued = await queue_notices(world.db, chats, per_chat=PER_CHAT)
    for _second in range(OUTAGE_SECONDS):  # the bot's clock runs through the outage
        await worker.drain(timeout=10)
        world.clock.advance(timedelta(seconds=1))
    await worker.drain(timeout=10)

    refused = [call for call in world.telegram.calls if call.status == 502]
    assert len(refused) >= 3 * 5  # each chat's first notice was tried again and again, backing off
    assert all(world.telegram.bot_messages(chat) == [] for chat in chats)
    assert await states(world) == {PENDING: queued}  # waiting, not given up

    world.telegram.set_outage(False)
    world.clock.advance(timedelta(seconds=OUTAGE_SECONDS + 5))  # past the longest backoff so far
    for chat in chats:
        texts = [
            (await world.telegram.wait_for_message(chat, timeout=15)).visible
            for _ in range(PER_CHAT)
        ]
        assert texts == [seen(chat, number) for number in range(PER_CHAT)]
    await worker.drain(timeout=10)
    assert await states(world) == {SENT: queued}
    assert all(len(world.telegram.bot_messages(chat)) == PER_CHAT for chat in chats)
