"""The short links of Viber/SMS messages lead to the order's page and to its Telegram link."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import ManualClock
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.web.app import create_web_app
from storage.uow import Database
from tests.factories import new_order

SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
async def links(db: Database, ctx: ServiceContext) -> AsyncIterator[TestClient]:
    page_ctx = dataclasses.replace(ctx, public_url="https://bot.test", web_link_secret=SECRET)
    client = TestClient(TestServer(create_web_app(db, page_ctx, shop_api_token=None)))
    await client.start_server()
    yield client
    await client.close()


async def _coded_order(db: Database, ctx: ServiceContext, code: str) -> str:
    order = (await intake_order(db, ctx, new_order())).order
    assert order is not None
    async with db.uow() as uow:
        stored = await uow.orders.get(order.id)
        assert stored is not None
        stored.short_code, stored.short_code_at = code, uow.clock.now()
        await uow.commit()
    return order.link_token


async def test_the_page_link_opens_the_signed_page(
    links: TestClient, db: Database, ctx: ServiceContext
):
    await _coded_order(db, ctx, "AbCdEfGh23")
    response = await links.get("/p/AbCdEfGh23", allow_redirects=False)
    assert response.status == 302
    location = response.headers["Location"]
    assert location.startswith("/c/") and "AbCdEfGh23" not in location
    page = await links.get(location)
    assert page.status == 200
    assert "A-1001" in await page.text()


async def test_the_telegram_link_leads_to_the_orders_deep_link(
    links: TestClient, db: Database, ctx: ServiceContext
):
    token = await _coded_order(db, ctx, "AbCdEfGh23")
    response = await links.get("/t/AbCdEfGh23", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == f"https://t.me/vykup_test_bot?start={token}"


async def test_the_page_link_expires_with_the_first_message(
    links: TestClient, db: Database, ctx: ServiceContext, clock: ManualClock
):
    await _coded_order(db, ctx, "AbCdEfGh23")
    clock.advance(timedelta(days=7, seconds=1))
    page = await links.get("/p/AbCdEfGh23")
    assert page.status == 410
    assert "Термін дії цього посилання минув" in await page.text()


@pytest.mark.parametrize("code", ["nope000000", "AbCdEfGh2", "Ab%2F..%2Fx", "x" * 40])
async def test_an_unknown_code_is_a_clear_404(
    links: TestClient, db: Database, ctx: ServiceContext, code: str
):
    await _coded_order(db, ctx, "AbCdEfGh23")
    for prefix in ("/p/", "/t/"):
        response = await links.get(prefix + code, allow_redirects=False)
        assert response.status == 404
        assert "Це посилання не працює" in await response.text()


async def test_the_api_answers_the_orders_web_link_when_the_page_is_on(
    links: TestClient, db: Database, ctx: ServiceContext, clock: ManualClock
):
    from bot.web.serializers import order_json

    order = (await intake_order(db, ctx, new_order())).order
    assert order is not None
    page_ctx = dataclasses.replace(ctx, public_url="https://bot.test", web_link_secret=SECRET)
    body = order_json(order, page_ctx, None)
    assert body["web_link"].startswith("https://bot.test/c/")
    assert order_json(order, ctx, None)["web_link"] is None  # the page is off
    page = await links.get(body["web_link"].removeprefix("https://bot.test"))
    assert page.status == 200 and "A-1001" in await page.text()
    clock.advance(timedelta(days=7))
    assert (await links.get(body["web_link"].removeprefix("https://bot.test"))).status == 410
