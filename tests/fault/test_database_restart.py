"""PostgreSQL restarts while the shop is sending orders: the bot answers 503 meanwhile (never 500,
never a hang), reconnects by itself, leads again, and every order ends up stored once and its card
delivered."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from storage.models import Order, OutboxMessage
from storage.repositories.outbox import SENT
from tests.conftest import require_postgres
from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.e2e.shop import SHOP_TOKEN
from tests.factories import order_payload
from tests.fault.notices import customers
from tests.fault.proxy import CuttableProxy

CUSTOMERS = 20
CONCURRENCY = 4


@pytest.fixture
async def proxy() -> AsyncIterator[CuttableProxy]:
    target = make_url(require_postgres())
    proxy = CuttableProxy(target.host or "127.0.0.1", target.port or 5432)
    await proxy.start()
    yield proxy
    await proxy.close()


@pytest.fixture
def database_url(proxy: CuttableProxy) -> str:
    """Everything — the bot and this test — reaches PostgreSQL through the proxy."""
    url = make_url(require_postgres()).set(host="127.0.0.1", port=proxy.port)
    return url.render_as_string(hide_password=False)


class Shop:
    """A shop that keeps sending orders and remembers what the API answered to each."""

    def __init__(self, world: World, chats: list[int]) -> None:
        self.world = world
        self.chats = chats
        self.answers: dict[str, list[int]] = {}
        self.sent = 0
        self.running = True
        self.answered = asyncio.Event()

    def payload(self, external_id: str) -> dict[str, object]:
        number = int(external_id.removeprefix("R-"))
        return order_payload(
            external_id=external_id,
            customer={
                "phone": f"+38050{number:07d}",
                "name": "Олена",
                "telegram_id": self.chats[number % len(self.chats)],
            },
        )

    async def send(self, external_id: str) -> int:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http,
            http.post(
                f"http://127.0.0.1:{self.world.app.api_port}/api/v1/orders",
                json=self.payload(external_id),
                headers={"Authorization": f"Bearer {SHOP_TOKEN}"},
            ) as response,
        ):
            await response.read()
            status = response.status
        self.answers.setdefault(external_id, []).append(status)
        self.answered.set()
        return status

    async def keep_sending(self) -> None:
        while self.running:
            self.sent += 1
            await self.send(f"R-{self.sent}")

    async def until(self, predicate: Callable[[], bool], timeout: float) -> None:
        async with asyncio.timeout(timeout):
            while not predicate():
                self.answered.clear()
                await self.answered.wait()

    def count(self, status: int) -> int:
        return sum(statuses.count(status) for statuses in self.answers.values())


async def test_the_bot_rides_out_a_database_restart(world: World, proxy: CuttableProxy):
    chats = customers(world.telegram, CUSTOMERS)
    shop = Shop(world, chats)
    senders = [asyncio.create_task(shop.keep_sending()) for _ in range(CONCURRENCY)]
    election = world.app.worker_election
    assert election is not None and election.is_leader
    try:
        await shop.until(lambda: shop.count(201) >= 10, 30)

        await proxy.cut()  # PostgreSQL goes down: every session ends, new ones are refused
        await shop.until(lambda: shop.count(503) >= 5, 30)
        assert shop.count(500) == 0
        assert world.app.database_outage.since == world.clock.now()  # the worker's lock broke
        world.clock.advance(timedelta(minutes=2))  # on the bot's clock, the outage lasts 2 minutes

        await proxy.restore()  # and comes back
        before = shop.count(201)
        await shop.until(lambda: shop.count(201) >= before + 10, 30)
    finally:
        shop.running = False
        await asyncio.gather(*senders)

    # Nothing but "stored" and "try again": no 500, no hang (each call was bounded above).
    assert set(Counter(s for statuses in shop.answers.values() for s in statuses)) <= {201, 503}
    for external_id, statuses in shop.answers.items():  # the shop sends again what got a 503
        if statuses[-1] != 201:
            assert await shop.send(external_id) in (200, 201)

    async with world.db.uow() as uow:
        stored = Counter((await uow.session.scalars(select(Order.external_id))).all())
    assert set(stored) == set(shop.answers) and set(stored.values()) == {1}

    # Every card reaches its customer, and nothing is left in the outbox.
    cards_for: Counter[int] = Counter(chats[int(e.removeprefix("R-")) % CUSTOMERS] for e in stored)
    async with asyncio.timeout(120):
        while any(len(world.telegram.bot_messages(c)) < n for c, n in cards_for.items()):
            await world.telegram.world.pulse.wait(1.0)
    # Cards of orders taken after the restart went out: the worker, which lost its lock with its
    # session, was elected again by itself.
    assert election.is_leader and election.terms >= 2
    await world.app.worker.drain(timeout=30)  # type: ignore[union-attr]
    async with world.db.uow() as uow:
        states = set((await uow.session.scalars(select(OutboxMessage.state))).all())
    assert states == {SENT}

    # The managers hear of it once, after it, from the watchdog of the worker's next term.
    def told() -> list[str | None]:
        return [
            message.text
            for message in world.telegram.bot_messages(MANAGERS_CHAT)
            if "База даних була недоступна з 10:00 до 10:02" in (message.text or "")
        ]

    async with asyncio.timeout(30):
        while not told():
            await world.telegram.world.pulse.wait(1.0)
    await world.app.worker.drain(timeout=30)  # type: ignore[union-attr]
    assert len(told()) == 1
    assert world.app.database_outage.since is None
