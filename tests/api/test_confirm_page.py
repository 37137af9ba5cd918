"""The web confirmation page: the order as the card shows it, and answers that do what the
Telegram buttons do, once."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.clock import ManualClock
from bot.domain.errors import NotFound
from bot.domain.languages import Language
from bot.domain.orders import CancelReason
from bot.services import confirmation, web_links
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.services.people import LinkHolder
from bot.web.app import create_web_app
from bot.web.confirm_page.limits import PageLimits
from storage.models import Order, OrderEvent
from storage.uow import Database
from tests.factories import OLENA, new_order

SECRET = "0123456789abcdef0123456789abcdef"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@pytest.fixture
def page_ctx(ctx: ServiceContext) -> ServiceContext:
    return dataclasses.replace(ctx, public_url="https://bot.test", web_link_secret=SECRET)


@pytest.fixture
async def page_client(db: Database, page_ctx: ServiceContext) -> AsyncIterator[TestClient]:
    app = create_web_app(db, page_ctx, shop_api_token=None)
    client = TestClient(TestServer(app))
    await client.start_server()
    yield client
    await client.close()


async def _order(db: Database, ctx: ServiceContext, **kwargs: object) -> Order:
    return (await intake_order(db, ctx, new_order(**kwargs))).order  # type: ignore[arg-type]


def _path(ctx: ServiceContext, order: Order, clock: ManualClock) -> str:
    url = web_links.page_url(ctx, order, clock.now())
    assert url is not None and url.startswith("https://bot.test/c/")
    return url.removeprefix("https://bot.test")


def _csrf(html: str, action: str) -> tuple[str, str]:
    match = re.search(
        rf'action="([^"]*/{action}[^"]*)"><input type="hidden" name="csrf" '
        r'value="([^"]+)"',
        html,
    )
    assert match, f"no {action} form"
    return match.group(1).replace("&amp;", "&"), match.group(2)


async def _rows(db: Database, model: type) -> list:
    async with db.read() as uow:
        return list(await uow.session.scalars(select(model)))


class Structure(HTMLParser):
    """Every tag closed in order; the tags and attributes seen."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def _structure(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    return parser


async def test_page_shows_the_card_phone_masked_and_the_three_answers(
    db, page_ctx, page_client, clock
):
    order = await _order(db, page_ctx)
    response = await page_client.get(_path(page_ctx, order, clock))
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/html")
    body = await response.text()
    assert len(body.encode()) < 50_000
    assert "Замовлення A-1001" in body and "Футболка M × 2" in body and "900,00" in body
    assert "Відділення №12" in body and "накладений платіж" in body
    assert "+380501234567" not in body and "+38050•••••67" in body
    assert "<script" not in body and "http" not in body.split("<body>")[0].replace(
        'content="width', ""
    )
    page = _structure(body)
    tags = [tag for tag, _ in page.seen]
    assert tags[:2] == ["html", "head"] and "main" in tags
    forms = [attrs for tag, attrs in page.seen if tag == "form"]
    assert [f["method"] for f in forms] == ["post"] * 3
    reasons = [a["value"] for tag, a in page.seen if tag == "input" and a.get("name") == "reason"]
    assert reasons == [reason.value for reason in CancelReason]
    assert "✅ Підтвердити" in body and "Інша причина" in body


async def test_language_switch_and_the_orders_language(db, page_ctx, page_client, clock):
    order = await _order(db, page_ctx, language=Language.ru)
    path = _path(page_ctx, order, clock)
    russian = await (await page_client.get(path)).text()
    assert 'lang="ru"' in russian and "Заказ A-1001" in russian
    assert f'href="{path}?lang=en"' in russian
    english = await (await page_client.get(f"{path}?lang=en")).text()
    assert 'html lang="en"' in english and "Order A-1001" in english and "✅ Confirm" in english


async def test_confirm_does_what_the_telegram_button_does_once(db, page_ctx, page_client, clock):
    order = await _order(db, page_ctx, telegram_id=OLENA.id)
    path = _path(page_ctx, order, clock)
    action, token = _csrf(await (await page_client.get(path)).text(), "confirm")
    response = await page_client.post(action, data={"csrf": token})
    assert response.status == 200
    body = await response.text()
    assert "A-1001" in body and f"https://t.me/vykup_test_bot?start={order.link_token}" in body
    _structure(body)
    async with db.read() as uow:
        assert (await uow.orders.get(order.id)).status == "confirmed"
        rows = list(await uow.outbox.pending(100))
    events = [e for e in await _rows(db, OrderEvent) if e.to_status == "confirmed"]
    assert [(e.source, e.actor_id) for e in events] == [("customer", None)]
    hook = next(r for r in rows if r.channel == "webhook")
    assert hook.payload["body"]["event"] == "order.confirmed"
    assert any(r.method == "editMessageText" for r in rows)  # the card in Telegram follows

    again = await page_client.post(action, data={"csrf": token})
    assert again.status == 409
    assert "підтверджено" in await again.text()
    async with db.read() as uow:
        assert len(list(await uow.outbox.pending(100))) == len(rows)


async def test_cancel_with_a_reason_and_a_comment(db, page_ctx, page_client, clock):
    order = await _order(db, page_ctx)
    path = _path(page_ctx, order, clock)
    action, token = _csrf(await (await page_client.get(path)).text(), "cancel")
    missing = await page_client.post(action, data={"csrf": token, "reason": "bogus"})
    assert missing.status == 400
    response = await page_client.post(
        action,
        data={"csrf": token, "reason": CancelReason.found_cheaper.value, "comment": " elsewhere "},
    )
    assert response.status == 200
    async with db.read() as uow:
        stored = await uow.orders.get(order.id)
        rows = list(await uow.outbox.pending(100))
    assert (stored.status, stored.cancel_reason, stored.cancel_comment) == (
        "cancelled",
        CancelReason.found_cheaper.value,
        "elsewhere",
    )
    hook = next(r for r in rows if r.channel == "webhook")
    assert hook.payload["body"]["reason"] == CancelReason.found_cheaper.value


async def test_change_reaches_the_managers(db, page_ctx, page_client, clock):
    order = await _order(db, page_ctx)
    path = _path(page_ctx, order, clock)
    action, token = _csrf(await (await page_client.get(path)).text(), "change")
    empty = await page_client.post(action, data={"csrf": token, "text": "  "})
    assert empty.status == 400
    response = await page_client.post(action, data={"csrf": token, "text": "size L please"})
    assert response.status == 200
    async with db.read() as uow:
        assert (await uow.orders.get(order.id)).status == "new"
        rows = list(await uow.outbox.pending(100))
    to_managers = [r for r in rows if r.chat_id == page_ctx.manager_chat_id]
    assert len(to_managers) == 1 and "size L please" in to_managers[0].payload["text"]


async def test_expired_forged_and_bad_form_change_nothing(db, page_ctx, page_client, clock):
    order = await _order(db, page_ctx)
    path = _path(page_ctx, order, clock)
    action, token = _csrf(await (await page_client.get(path)).text(), "confirm")

    bad_form = await page_client.post(action, data={"csrf": token[:-2] + "xx"})
    assert bad_form.status == 403
    no_form = await page_client.post(action, data={})
    assert no_form.status == 403
    forged = path[:-3] + ("abc" if not path.endswith("abc") else "abd")
    assert (await page_client.get(forged)).status == 404
    other = await _order(db, page_ctx, external_id="A-2", phone="+380671112233")
    other_action = action.replace(path, _path(page_ctx, other, clock))
    assert (await page_client.post(other_action, data={"csrf": token})).status == 403

    clock.advance(page_ctx.web_link_valid + timedelta(seconds=1))
    expired = await page_client.post(action, data={"csrf": token})
    assert expired.status == 410
    assert "термін" in (await expired.text()).lower() or "застаріло" in await expired.text()
    assert (await page_client.get(path)).status == 410
    async with db.read() as uow:
        assert (await uow.orders.get(order.id)).status == "new"
        assert list(await uow.outbox.pending(100)) == []


async def test_wrong_method_and_unknown_action(db, page_ctx, page_client, clock):
    order = await _order(db, page_ctx)
    path = _path(page_ctx, order, clock)
    wrong = await page_client.get(f"{path}/confirm")
    assert wrong.status == 405 and "text/html" in wrong.headers["Content-Type"]
    assert (await page_client.post(path)).status == 405
    assert (await page_client.post(f"{path}/delete", data={})).status == 404


async def test_page_is_off_without_a_secret(db, ctx, clock):
    order = await _order(db, ctx)
    on = dataclasses.replace(ctx, public_url="https://bot.test", web_link_secret=SECRET)
    path = _path(on, order, clock)
    assert web_links.page_url(ctx, order, clock.now()) is None
    client = TestClient(TestServer(create_web_app(db, ctx, shop_api_token=None)))
    await client.start_server()
    try:
        response = await client.get(path)
        assert response.status == 404 and "text/html" in response.headers["Content-Type"]
    finally:
        await client.close()


async def test_rate_limited_per_link(db, page_ctx, clock):
    order = await _order(db, page_ctx)
    path = _path(page_ctx, order, clock)
    limits = PageLimits(per_ip=100, per_token=2, clock=lambda: 0.0)
    client = TestClient(
        TestServer(create_web_app(db, page_ctx, shop_api_token=None, page_limits=limits))
    )
    await client.start_server()
    try:
        assert [(await client.get(path)).status for _ in range(3)] == [200, 200, 429]
        refused = await client.get(f"{path}?lang=en")
        assert refused.status == 429 and "Too many requests" in await refused.text()
    finally:
        await client.close()


def test_limits_per_address_and_window():
    now = [0.0]
    limits = PageLimits(per_ip=2, per_token=10, clock=lambda: now[0])
    assert [limits.allow("1.2.3.4", f"t{i}") for i in range(3)] == [True, True, False]
    assert limits.allow("5.6.7.8", "t0")
    now[0] = 61.0
    assert limits.allow("1.2.3.4", "t9")


async def test_a_link_answers_only_for_its_own_order(db, page_ctx):
    order = await _order(db, page_ctx)
    with pytest.raises(NotFound):
        await confirmation.confirm(db, page_ctx, order.id, LinkHolder("someone-elses"), None)
    async with db.read() as uow:
        assert (await uow.orders.get(order.id)).status == "new"


async def test_an_answered_order_shows_its_status_without_forms(db, page_ctx, page_client, clock):
    order = await _order(db, page_ctx)
    await confirmation.confirm(db, page_ctx, order.id, LinkHolder(order.link_token), None)
    response = await page_client.get(_path(page_ctx, order, clock))
    body = await response.text()
    assert response.status == 200 and "<form" not in body and "✅" in body
