"""API fixtures: the real web application on a real database, reached through aiohttp's client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.services.context import ServiceContext
from bot.web.app import create_web_app
from storage.models import (
    Customer,
    Order,
    OrderEvent,
    OrderItem,
    OutboxMessage,
    Shipment,
    ShipmentEvent,
    Timer,
)
from storage.uow import Database
from tests.api.live import LiveApi
from tests.factories import PAYLOAD, order_payload  # noqa: F401 - re-exported for the API tests

TOKEN = "s3cret-shop-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

ClientFactory = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def make_client(db: Database, ctx: ServiceContext) -> AsyncIterator[ClientFactory]:
    """Start the app with a given token configuration (``TOKEN`` unless told otherwise)."""
    clients: list[TestClient] = []

    async def start(*, shop_api_token: str | None = TOKEN) -> TestClient:
        app = create_web_app(db, ctx, shop_api_token=shop_api_token)
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


@pytest.fixture
async def client(make_client: ClientFactory) -> TestClient:
    return await make_client()


@pytest.fixture
def live_api(
    db: Database, database_url: str, ctx: ServiceContext, clock: ManualClock
) -> Iterator[LiveApi]:
    """The app on a real port with its own event loop, over the database ``db`` emptied: for
    tests that call it from blocking code (schemathesis, state machines)."""
    with LiveApi(database_url, ctx, clock, token=TOKEN) as api:
        yield api


async def create(client: TestClient, payload: dict[str, Any]) -> ClientResponse:
    return await client.post("/api/v1/orders", json=payload, headers=AUTH)


async def row_counts(db: Database) -> dict[str, int]:
    """How many rows each table the API writes to holds."""
    counts: dict[str, int] = {}
    async with db.uow() as uow:
        for model in (
            Customer,
            Order,
            OrderItem,
            OrderEvent,
            OutboxMessage,
            Timer,
            Shipment,
            ShipmentEvent,
        ):
            counts[model.__tablename__] = int(
                await uow.session.scalar(select(func.count()).select_from(model)) or 0
            )
    return counts


NOTHING = {
    "customers": 0,
    "orders": 0,
    "order_items": 0,
    "order_events": 0,
    "outbox": 0,
    "timers": 0,
    "shipments": 0,
    "shipment_events": 0,
}
