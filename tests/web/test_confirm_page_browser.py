"""The web confirmation page ``/c/<token>`` in a real browser: headless Chromium at a phone's
size, against the real web application on a real database (SQLite and PostgreSQL).

One Chromium serves the module (its tests share an event loop, so their database and server
fixtures live in that loop too); every test gets its own browser context. Screenshots of each
state go to ``data/screenshots/confirm-page-*.png``. Skips without Chromium or Playwright
(:mod:`tests.browser`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.clock import ManualClock
from bot.domain.languages import Language
from bot.domain.new_order import EXTERNAL_ID_LENGTH, ITEM_NAME_LENGTH, POINT_LENGTH, NewItem
from bot.domain.orders import CancelReason
from bot.keyboards.orders import cancel_reasons_keyboard
from bot.services import web_links
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.texts import labels
from bot.web.app import create_web_app
from storage.models import Order, OrderEvent
from storage.uow import Database
from tests.browser import CHROMIUM_ARGS, SCREENSHOTS, WAIT_MS, require_chromium
from tests.conftest import open_database
from tests.factories import OLENA, new_order

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page, Request

pytestmark = pytest.mark.asyncio(loop_scope="module")

SECRET = "0123456789abcdef0123456789abcdef"
WIDTH = 360
PHONE: dict[str, Any] = {
    "viewport": {"width": WIDTH, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36"
    ),
}
TAP_MIN_PX = 44  # the smallest comfortable target for a finger (Apple HIG; WCAG 2.5.5)
PAGE_MAX_BYTES = 50_000

# Everything a finger presses on the page, with its size and what it says.
TAP_TARGETS = """() => [...document.querySelectorAll(
    'button, a, summary, label:has(input[type=radio]), textarea')]
  .filter(node => node.checkVisibility())  // not what a closed <details> holds
  .map(node => {
    const box = node.getBoundingClientRect();
    return {text: node.innerText.trim().slice(0, 40), height: box.height, width: box.width,
            right: box.right};
  })"""


# --- the module's browser, and this test's database, server and phone --------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    executable = require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest_asyncio.fixture(loop_scope="module")
async def db(database_url: str, clock: ManualClock) -> AsyncIterator[Database]:
    """The shared ``db`` (SQLite, PostgreSQL), opened in the module's event loop."""
    async with open_database(database_url, clock) as database:
        yield database


@pytest.fixture
def page_ctx(ctx: ServiceContext) -> ServiceContext:
    return dataclasses.replace(ctx, public_url="https://bot.test", web_link_secret=SECRET)


@pytest_asyncio.fixture(loop_scope="module")
async def server(db: Database, page_ctx: ServiceContext) -> AsyncIterator[TestServer]:
    """The bot's real web application, on a port of 127.0.0.1."""
    app = create_web_app(db, page_ctx, shop_api_token=None)
    started = TestServer(app)
    await started.start_server()
    yield started
    await started.close()


class Phone:
    """A phone's browser (its own context): what it loaded, and what went wrong on the way."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.context, self.page = context, page
        self.errors: list[str] = []
        self.requests: list[Request] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(  # a blocked style or form (the page's CSP) is reported here
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        page.on("requestfinished", lambda request: self.requests.append(request))

    async def transferred(self) -> int:
        """Bytes received since the last call: every response's headers and body."""
        done, self.requests = self.requests, []
        sizes = [await request.sizes() for request in done]
        return sum(size["responseHeadersSize"] + size["responseBodySize"] for size in sizes)


async def open_phone(browser: Browser, **options: Any) -> Phone:
    context = await browser.new_context(**PHONE, **options)
    context.set_default_timeout(WAIT_MS)
    return Phone(context, await context.new_page())


@pytest_asyncio.fixture(loop_scope="module")
async def phone(browser: Browser) -> AsyncIterator[Phone]:
    opened = await open_phone(browser)
    try:
        yield opened
        assert opened.errors == [], opened.errors
    finally:
        await opened.context.close()


# --- helpers ----------------------------------------------------------------------------------


async def new_page_order(db: Database, ctx: ServiceContext, **kwargs: Any) -> Order:
    return (await intake_order(db, ctx, new_order(**kwargs))).order  # type: ignore[return-value]


def link(server: TestServer, ctx: ServiceContext, order: Order, clock: ManualClock) -> str:
    """The order's link as the customer gets it, pointed at the test server."""
    url = web_links.page_url(ctx, order, clock.now())
    assert url is not None and url.startswith("https://bot.test/c/")
    return str(server.make_url(url.removeprefix("https://bot.test")))


async def shoot(page: Page, state: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"confirm-page-{state}.png"), full_page=True)


async def stored(db: Database, order: Order) -> tuple[Order, list[Any], list[OrderEvent]]:
    """The order as stored, the outbox's pending messages, and the order's status events."""
    async with db.read() as uow:
        row = await uow.orders.get(order.id)
        outbox = list(await uow.outbox.pending(100))
        events = list(
            await uow.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id))
        )
    return row, outbox, events


async def assert_fits_a_phone(page: Page) -> None:
    """No sideways scrolling at 360 px, and every tap target tall enough for a finger."""
    scroll = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= WIDTH, f"the page scrolls sideways: {scroll} px wide"
    targets = await page.evaluate(TAP_TARGETS)
    assert targets, "nothing to press"
    small = [t for t in targets if t["height"] < TAP_MIN_PX]
    assert small == [], f"too small for a finger: {small}"
    outside = [t for t in targets if t["right"] > WIDTH]
    assert outside == [], f"beyond the screen's edge: {outside}"


# --- the tests --------------------------------------------------------------------------------


async def test_open_the_link_see_the_order_and_confirm_it(
    db, page_ctx, server, clock, phone: Phone
):
    order = await new_page_order(db, page_ctx, telegram_id=OLENA.id)
    page = phone.page
    response = await page.goto(link(server, page_ctx, order, clock))
    assert response is not None and response.status == 200

    card = page.locator("section.card")
    await page.get_by_role("heading", name="Замовлення A-1001").wait_for()
    text = await card.inner_text()
    for shown in ("Футболка M × 2", "900,00", "Відділення №12", "Київ", "+38050•••••67"):
        assert shown in text, f"{shown!r} not on the card:\n{text}"
    assert "+380501234567" not in await page.content()
    await shoot(page, "order")

    await page.get_by_role("button", name="✅ Підтвердити").click()
    await page.get_by_role("heading", name="Дякуємо! Замовлення A-1001 підтверджено.").wait_for()
    telegram = page.get_by_role("link", name="Telegram")
    assert await telegram.get_attribute("href") == (
        f"https://t.me/vykup_test_bot?start={order.link_token}"
    )
    assert await page.locator("form").count() == 0  # answered: nothing more to press twice
    await assert_fits_a_phone(page)
    await shoot(page, "confirmed")

    row, outbox, events = await stored(db, order)
    assert row.status == "confirmed"
    assert [(e.to_status, e.source) for e in events if e.to_status == "confirmed"] == [
        ("confirmed", "customer")
    ]
    hooks = [r.payload["body"]["event"] for r in outbox if r.channel == "webhook"]
    assert hooks == ["order.confirmed"]  # the shop hears it once


async def test_cancel_with_a_reason(db, page_ctx, server, clock, phone: Phone):
    order = await new_page_order(db, page_ctx)
    page = phone.page
    await page.goto(link(server, page_ctx, order, clock))

    await page.locator("summary", has_text="❌ Скасувати").click()
    form = page.locator("form[action*='/cancel']")
    await form.wait_for()
    t = page_ctx.catalogs(Language.uk)
    in_telegram = [
        button.text
        for row in cancel_reasons_keyboard(order.id, t).inline_keyboard[:-1]
        for button in row
    ]
    assert await form.locator("label:has(input[name=reason])").all_inner_texts() == in_telegram
    assert not await form.evaluate("form => form.checkValidity()")  # a reason is required

    reason = labels.cancel_reason(t, CancelReason.found_cheaper)
    await page.get_by_label(reason).check()
    await page.get_by_label("Коментар (необов'язково)").fill("У сусідньому магазині")
    await shoot(page, "cancel-form")
    await page.get_by_role("button", name="Скасувати замовлення").click()
    await page.get_by_role("heading", name="Замовлення A-1001 скасовано.").wait_for()
    await shoot(page, "cancelled")

    row, outbox, _ = await stored(db, order)
    assert (row.status, row.cancel_reason, row.cancel_comment) == (
        "cancelled",
        CancelReason.found_cheaper.value,
        "У сусідньому магазині",
    )
    hook = next(r.payload["body"] for r in outbox if r.channel == "webhook")
    assert (hook["event"], hook["reason"]) == ("order.cancelled", CancelReason.found_cheaper.value)


async def test_an_expired_link_says_so_and_changes_nothing(
    db, page_ctx, server, clock, phone: Phone
):
    order = await new_page_order(db, page_ctx)
    url = link(server, page_ctx, order, clock)
    page = phone.page
    await page.goto(url)  # opened in time, answered after the link's days ran out
    clock.advance(page_ctx.web_link_valid + timedelta(seconds=1))

    expired = "Термін дії цього посилання минув"
    await page.get_by_role("button", name="✅ Підтвердити").click()
    await page.get_by_role("heading", name=expired).wait_for()
    response = await page.goto(url)  # and opened again
    assert response is not None and response.status == 410
    await page.get_by_role("heading", name=expired).wait_for()
    assert "Нічого не змінено." in await page.locator("main").inner_text()
    assert await page.locator("form").count() == 0
    await assert_fits_a_phone(page)
    await shoot(page, "expired")

    row, outbox, events = await stored(db, order)
    assert row.status == "new" and outbox == []
    assert [e.to_status for e in events if e.to_status != "new"] == []
    # Chromium logs every 410 it loads; that status is this test's point.
    phone.errors = [e for e in phone.errors if "responded with a status of 410" not in e]


async def test_the_language_switch(db, page_ctx, server, clock, phone: Phone):
    order = await new_page_order(db, page_ctx)
    page = phone.page
    await page.goto(link(server, page_ctx, order, clock))
    await page.get_by_role("heading", name="Замовлення A-1001").wait_for()

    await page.get_by_role("link", name="English").click()
    await page.get_by_role("heading", name="Order A-1001").wait_for()
    assert await page.locator("html").get_attribute("lang") == "en"
    assert await page.get_by_role("button", name="✅ Confirm").is_visible()
    await shoot(page, "english")

    await page.get_by_role("link", name="Русский").click()
    await page.get_by_role("heading", name="Заказ A-1001").wait_for()
    assert await page.locator("html").get_attribute("lang") == "ru"
    await page.get_by_role("button", name="✅ Подтвердить").click()  # the answer keeps it
    await page.get_by_role("heading", name="Спасибо! Заказ A-1001 подтверждён.").wait_for()
    await shoot(page, "russian")
    assert (await stored(db, order))[0].status == "confirmed"


async def test_fits_a_phone_loads_light_and_works_without_javascript(
    db, browser, page_ctx, server, clock, phone: Phone
):
    order = await new_page_order(db, page_ctx)
    page = phone.page
    await page.goto(link(server, page_ctx, order, clock))
    await page.get_by_role("heading", name="Замовлення A-1001").wait_for()
    loaded = await phone.transferred()
    assert 0 < loaded < PAGE_MAX_BYTES, f"{loaded} bytes for the page"
    await assert_fits_a_phone(page)
    for summary in await page.locator("summary").all():  # with both forms opened
        await summary.click()
    await page.locator("textarea[name=text]").wait_for()
    await assert_fits_a_phone(page)
    await shoot(page, "forms-open")

    plain = await open_phone(browser, java_script_enabled=False)
    try:
        await plain.page.goto(link(server, page_ctx, order, clock))
        await plain.page.get_by_role("button", name="✅ Підтвердити").click()
        await plain.page.get_by_role("heading", name="Дякуємо! Замовлення A-1001").wait_for()
        await shoot(plain.page, "confirmed-without-javascript")
        assert plain.errors == [] and 0 < await plain.transferred() < 2 * PAGE_MAX_BYTES
    finally:
        await plain.context.close()
    assert (await stored(db, order))[0].status == "confirmed"

    await page.reload()  # the answered order, and the result page, fit a phone too
    await page.get_by_role("heading", name="Замовлення A-1001").wait_for()
    await assert_fits_a_phone(page)


async def test_the_longest_words_an_order_may_hold_wrap_at_360_px(
    db, page_ctx, server, clock, phone: Phone
):
    """Shops send codes, not prose: a number, an item and a parcel locker with no space to break
    at, each as long as the shop API takes, still fit the phone's width."""
    number = ("SHOP-" + "1234567890" * 7)[:EXTERNAL_ID_LENGTH]
    item = NewItem(name="Кросівки_" + "X" * (ITEM_NAME_LENGTH - 9), quantity=1, price=Decimal(9))
    placed = dataclasses.replace(
        new_order(number),
        items=(item,),
        total=Decimal(9),
        point="Поштомат_№" + "9" * (POINT_LENGTH - 10),
    )
    order = (await intake_order(db, page_ctx, placed)).order
    assert order is not None
    page = phone.page
    await page.goto(link(server, page_ctx, order, clock))
    await page.get_by_role("heading", name=number).wait_for()
    await shoot(page, "long-words")
    await assert_fits_a_phone(page)
    await page.get_by_role("button", name="✅ Підтвердити").click()
    await page.get_by_role("heading", name="Дякуємо!").wait_for()
    await assert_fits_a_phone(page)
