"""The web page of a customer outside Telegram: that news comes by Viber/SMS, and the button that
stops it (a form with its CSRF token, like the answers)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import ManualClock
from bot.domain.outreach import ChannelPreference, OutreachRules
from bot.services.context import ServiceContext
from bot.web.app import create_web_app
from storage.uow import Database
from tests.api.test_confirm_page import SECRET, _csrf, _order, _path

RULES = OutreachRules(preference=ChannelPreference.sms, shop_name="Квітка")


@pytest.fixture
def texting_ctx(ctx: ServiceContext) -> ServiceContext:
    return dataclasses.replace(
        ctx, public_url="https://bot.test", web_link_secret=SECRET, outreach=RULES
    )


@pytest.fixture
async def client(db: Database, texting_ctx: ServiceContext) -> AsyncIterator[TestClient]:
    app = create_web_app(db, texting_ctx, shop_api_token=None)
    async with TestClient(TestServer(app)) as client:
        yield client


async def _stopped_at(db: Database) -> object:
    async with db.read() as uow:
        customer = await uow.customers.by_phone("+380501234567")
        assert customer is not None
        return customer.outreach_stopped_at


async def test_the_page_says_news_comes_by_sms_and_stop_stops_it(
    db: Database, texting_ctx: ServiceContext, client: TestClient, clock: ManualClock
):
    order = await _order(db, texting_ctx)
    html = await (await client.get(_path(texting_ctx, order, clock))).text()
    assert "Коли посилка прибуде, ми надішлемо вам повідомлення у Viber або SMS." in html
    action, csrf = _csrf(html, "stop")

    forged_csrf = ("y" if csrf[0] == "x" else "x") + csrf[1:]  # one character changed, always
    forged = await client.post(action, data={"csrf": forged_csrf})
    assert forged.status == 403 and await _stopped_at(db) is None

    done = await client.post(action, data={"csrf": csrf})
    assert done.status == 200
    page = await done.text()
    assert "більше не надсилатимемо вам повідомлень у Viber чи SMS" in page
    assert "Не надсилати мені повідомлень" not in page
    assert await _stopped_at(db) == clock.now()

    # Again (a second tap, the page reloaded): still stopped, the first moment kept.
    first = clock.now()
    clock.advance(timedelta(minutes=1))
    assert (await client.post(action, data={"csrf": csrf})).status == 200
    assert await _stopped_at(db) == first
    again = await (await client.get(_path(texting_ctx, order, clock))).text()
    assert "Не надсилати мені повідомлень" not in again


async def test_after_confirming_the_stop_button_is_still_offered(
    db: Database, texting_ctx: ServiceContext, client: TestClient, clock: ManualClock
):
    order = await _order(db, texting_ctx)
    html = await (await client.get(_path(texting_ctx, order, clock))).text()
    action, csrf = _csrf(html, "confirm")
    result = await (await client.post(action, data={"csrf": csrf})).text()
    assert "t.me/vykup_test_bot?start=" in result
    assert "Не надсилати мені повідомлень" in result


async def test_without_outreach_the_page_has_no_texting_block(
    db: Database, ctx: ServiceContext, clock: ManualClock
):
    page_ctx = dataclasses.replace(ctx, public_url="https://bot.test", web_link_secret=SECRET)
    order = await _order(db, page_ctx)
    async with TestClient(TestServer(create_web_app(db, page_ctx, shop_api_token=None))) as c:
        html = await (await c.get(_path(page_ctx, order, clock))).text()
    assert "Viber" not in html
