"""The catch-up list never skips an event that commits late (PostgreSQL, concurrent writers).

Row ids are handed out when rows are written, not when they commit: a shop reading
``GET /api/v1/events`` while two transactions are open must not be moved past an event that is
still to commit, or it would never see it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from bot.domain.event_position import EventPosition
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.services.shop_events import events_after
from storage.db import create_engine
from storage.uow import Database, UnitOfWork
from tests.delivery.helpers import add_order


@pytest.fixture
async def pg(postgres_url: str, clock: ManualClock) -> AsyncIterator[Database]:
    database = Database(create_engine(postgres_url), clock)
    yield database
    await database.dispose()


async def tell(uow: UnitOfWork, ctx: ServiceContext, order_id: int, comment: str) -> None:
    order = await uow.orders.get(order_id)
    assert order is not None
    Notifier(uow, ctx).shop_event(order, "order.change_requested", comment=comment)
    await uow.session.flush()  # the row and its id exist, uncommitted


class Reader:
    """A shop polling the list, keeping its cursor between calls."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.cursor = EventPosition.start()
        self.seen: list[str] = []

    async def poll(self) -> list[str]:
        page = await events_after(self.db, self.cursor, 100)
        self.cursor = page.last
        got = [str(event["comment"]) for event in page.events]
        self.seen += got
        return got

    @staticmethod
    def comments(events: list[dict[str, Any]]) -> list[str]:
        return [str(event["comment"]) for event in events]


async def test_an_earlier_id_committed_later_is_still_listed(
    pg: Database, ctx: ServiceContext
) -> None:
    order_id = await add_order(pg, telegram_id=7001)
    reader = Reader(pg)
    async with pg.uow() as uow:
        await tell(uow, ctx, order_id, "before")
        await uow.commit()
    assert await reader.poll() == ["before"]

    async with pg.uow() as slow:
        await tell(slow, ctx, order_id, "slow")  # the smaller id, still open
        async with pg.uow() as quick:
            await tell(quick, ctx, order_id, "quick")
            await quick.commit()
        assert await reader.poll() == []  # "quick" waits until nothing before it can appear
        await slow.commit()

    assert await reader.poll() == ["slow", "quick"]
    assert await reader.poll() == []
    assert reader.seen == ["before", "slow", "quick"]


async def test_a_later_transaction_with_the_earlier_id_is_listed_after(
    pg: Database, ctx: ServiceContext
) -> None:
    """The writer that started first commits first, but the other one took the smaller id."""
    order_id = await add_order(pg, telegram_id=7002)
    reader = Reader(pg)
    async with pg.uow() as first:
        await first.session.execute(text("SELECT pg_current_xact_id()"))  # it writes first
        async with pg.uow() as second:
            await tell(second, ctx, order_id, "second")  # the smaller id
            await tell(first, ctx, order_id, "first")
            await first.commit()
            assert await reader.poll() == ["first"]
            await second.commit()

    assert await reader.poll() == ["second"]
    assert reader.seen == ["first", "second"]


async def test_another_databases_open_transaction_does_not_hold_the_list_back(
    pg: Database, ctx: ServiceContext, postgres_url: str
) -> None:
    """Transaction ids are the server's: an application sharing the server (or another test
    worker's database) keeps a transaction open, and the shop still reads its events."""
    order_id = await add_order(pg, telegram_id=7003)
    elsewhere = Database(create_engine(other_database(postgres_url)), pg.clock)
    try:
        async with elsewhere.uow() as other:
            await other.session.execute(text("SELECT pg_current_xact_id()"))  # it has written
            async with pg.uow() as uow:
                await tell(uow, ctx, order_id, "ours")
                await uow.commit()
            assert await Reader(pg).poll() == ["ours"]
    finally:
        await elsewhere.dispose()


def other_database(url: str) -> str:
    """The server's own ``postgres`` database: always there, never this test's."""
    return make_url(url).set(database="postgres").render_as_string(hide_password=False)
