"""``POST /connect/<platform>/<key>``: the address's key and the platform's signature let a delivery
in; a bad one, or a body that cannot be read, is refused and stores nothing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.connectors.base import Platform
from bot.web.app import create_web_app
from tests.connectors.recording import RecordingAdapter, stored_connection

PATH = "/connect/woocommerce/key-of-woocommerce"
SIGNED = {"X-Test-Signature": "signing-secret"}


@pytest.fixture
async def client(db, ctx) -> AsyncIterator[TestClient]:
    async with db.uow() as uow:
        uow.connections.add(stored_connection(uow.clock.now()))
        await uow.commit()
    app = create_web_app(
        db, ctx, shop_api_token="token", adapters={Platform.woocommerce: RecordingAdapter()}
    )
    async with TestClient(TestServer(app)) as client:
        yield client


async def stored(db) -> tuple[int, int]:
    async with db.uow() as uow:
        orders = await uow.orders.by_external_id("727")
        return int(orders is not None), len(await uow.outbox.pending(100))


async def test_a_signed_order_is_taken_in_once(client, db):
    body = json.dumps({"kind": "order", "id": 727})
    first = await client.post(PATH, data=body, headers=SIGNED)
    again = await client.post(PATH, data=body, headers=SIGNED)
    assert (first.status, again.status) == (200, 200)
    assert (await first.json())["result"] == "created"
    assert (await again.json())["result"] == "unchanged"
    assert (await stored(db))[0] == 1


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (PATH, {}),  # no signature
        (PATH, {"X-Test-Signature": "forged"}),
        ("/connect/woocommerce/guessed-key", SIGNED),
        ("/connect/shopify/key-of-woocommerce", SIGNED),  # another platform's address
    ],
)
async def test_a_bad_address_or_signature_is_refused(client, db, path, headers):
    response = await client.post(
        path, data=json.dumps({"kind": "order", "id": 727}), headers=headers
    )
    assert response.status == 401
    assert (await response.json())["error"]["code"] == "unauthorized"
    assert await stored(db) == (0, 0)


async def test_an_unreadable_body_is_refused_naming_the_field(client, db):
    response = await client.post(PATH, data=b"\x00not json", headers=SIGNED)
    assert response.status == 422
    assert (await response.json())["error"]["fields"] == [
        {"field": "kind", "message": "must be order, fetch or ping"}
    ]
    assert await stored(db) == (0, 0)


async def test_an_order_the_shop_api_would_refuse_is_refused_here_too(client, db):
    body = json.dumps({"kind": "order", "id": 727, "name": "   "})
    response = await client.post(PATH, data=body, headers=SIGNED)
    assert response.status == 422
    assert (await response.json())["error"]["fields"][0]["field"] == "customer.name"
    assert await stored(db) == (0, 0)


async def test_a_ping_changes_nothing_and_a_fetch_is_queued(client, db):
    ping = await client.post(PATH, data=json.dumps({"kind": "ping"}), headers=SIGNED)
    assert ping.status == 200 and (await ping.json())["result"] == "ping"
    assert await stored(db) == (0, 0)
    fetch = await client.post(PATH, data=json.dumps({"kind": "fetch", "id": 9}), headers=SIGNED)
    assert (await fetch.json())["result"] == "queued"
    async with db.uow() as uow:
        [row] = await uow.outbox.pending(10)
    assert (row.channel, row.method, row.payload["remote_id"]) == ("platform", "fetch", "9")


async def test_bodies_past_two_megabytes_are_refused(client, db):
    response = await client.post(PATH, data=b"x" * (2 * 1024 * 1024 + 1), headers=SIGNED)
    assert response.status == 413
    assert await stored(db) == (0, 0)
