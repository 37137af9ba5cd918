"""The sandbox page in a real browser (headless Chromium driven by Playwright).

Skips, saying why, where Chromium or Playwright is missing (:mod:`tests.browser`).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.sandbox import cast
from bot.standin import TINY_PNG
from tests.browser import CHROMIUM_ARGS, SCREENSHOTS, WAIT_MS, require_chromium
from tests.sandbox.conftest import Page
from tests.sandbox.test_return import request_a_return


@pytest.fixture
async def browser_page(page: Page) -> AsyncIterator[Any]:
    executable = require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            tab = await browser.new_page(viewport={"width": 1500, "height": 950})
            errors: list[str] = []
            tab.on("pageerror", lambda error: errors.append(str(error)))
            await tab.goto(str(page.client.make_url("/")))
            yield tab
            assert errors == [], errors  # no JavaScript error along the way
        finally:
            await browser.close()


async def test_create_an_order_confirm_it_and_see_the_managers_chat(browser_page: Any, page: Page):
    tab = browser_page
    tab.set_default_timeout(WAIT_MS)
    await tab.wait_for_selector("text=Пісочниця Vykup")
    await tab.wait_for_function("document.querySelector('#order-json').value.includes('S-1001')")

    # The shop creates Olena's order; the customer opens its link in "Telegram".
    await tab.click("#create-order")
    await tab.click("#open-link")
    customer = tab.locator("#chat-customer")
    await customer.locator(".message", has_text="S-1001").wait_for()
    await customer.locator(".inline-keyboard button", has_text="Підтвердити").click()
    await customer.locator(".message", has_text="підтверджено").first.wait_for()
    await tab.locator("#shop-log", has_text="order.confirmed").wait_for()

    # Two pictures picked at once go as one album: both show in her chat.
    await customer.locator("input[type=file]").set_input_files(
        [
            {"name": "box.png", "mimeType": "image/png", "buffer": TINY_PNG},
            {"name": "tag.png", "mimeType": "image/png", "buffer": TINY_PNG},
        ]
    )
    await customer.locator(".message img").nth(1).wait_for()
    assert await customer.locator(".message img").count() == 2
    chat = page.sandbox.standin.chat(cast.CUSTOMER_ID)
    albums = {m.media_group_id for m in chat.messages if m.kind == "photo" and not m.from_bot}
    assert len(albums) == 1 and None not in albums

    # A customer who refused most parcels orders: the managers' chat gets the alert, with buttons.
    await tab.select_option("#order-for", "risky")
    await tab.wait_for_function("document.querySelector('#order-json').value.includes('S-1002')")
    await tab.click("#create-order")
    managers = tab.locator("#chat-managers")
    alert = managers.locator(".message", has_text="Ризикове замовлення")
    await alert.wait_for()
    assert "S-1002" in await alert.inner_text()
    assert await managers.locator(".inline-keyboard button").count() >= 1
    assert await tab.locator("#violations .none").is_visible()

    # The page itself speaks English when asked.
    await tab.select_option("#page-language", "en")
    await tab.locator("#create-order", has_text="Create order").wait_for()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "sandbox.png"
    await tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


async def test_a_manager_replies_to_the_bots_question_in_the_page(browser_page: Any, page: Page):
    tab = browser_page
    tab.set_default_timeout(WAIT_MS)
    await tab.wait_for_selector("text=Пісочниця Vykup")
    await request_a_return(page)  # Olena's return reaches the managers' chat with its card
    managers = tab.locator("#chat-managers")
    await managers.locator(".inline-keyboard button", has_text="Відхилити").click()

    # The question opens the reply field by itself, as in Telegram; the manager closes it first…
    question = managers.locator(".message", has_text="чому повернення")
    await question.wait_for()
    replying = managers.locator(".replying")
    await replying.get_by_text("Відповідь для Vykup").wait_for()
    await replying.locator(".cancel-reply").click()
    assert await replying.is_hidden()
    # …and writes in the group: the bot never sees it, and the page says so.
    await managers.locator("input[type=text]").fill("Бачу сліди носіння")
    await managers.locator("button[type=submit]").click()
    stray = managers.locator(".message.unseen", has_text="Бачу сліди носіння")
    await stray.get_by_text("Бот цього не бачить").wait_for()

    # Reply, as in Telegram: the question is quoted, and the customer reads the answer.
    await question.hover()
    await question.locator(".reply-button").click()
    await replying.get_by_text("чому повернення").wait_for()
    await managers.locator("input[type=text]").fill("Кепку вже носили")
    await managers.locator("button[type=submit]").click()
    answered = managers.locator(".message", has_text="Кепку вже носили")
    await answered.locator(".quote", has_text="відхилено").wait_for()
    assert await replying.is_hidden()
    assert await answered.evaluate("node => !node.classList.contains('unseen')")
    await tab.locator("#chat-customer .message", has_text="Кепку вже носили").wait_for()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await tab.screenshot(path=str(SCREENSHOTS / "sandbox-reply.png"), full_page=True)


def png(width: int, height: int) -> bytes:
    """A plain picture of that size: big enough to push a chat's newest message out of view."""
    row = b"\x00" + b"\x4a\x90\xd0" * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


async def test_the_first_minutes_of_a_shop_owner(browser_page: Any, page: Page):
    tab = browser_page
    tab.set_default_timeout(WAIT_MS)
    standin = page.sandbox.standin
    customer = tab.locator("#chat-customer")
    await customer.locator(".not-started .start").wait_for()
    assert await customer.locator(".composer").is_hidden()  # nothing to type before Start

    await customer.locator(".not-started .start").click()
    contact = customer.locator(".reply-keyboard button")
    await contact.wait_for()
    [[shown]] = (await page.state())["customer"]["keyboard"]
    assert await contact.inner_text() == shown["text"]  # the bot's words, its 📱 once
    assert await customer.locator(".composer").is_visible()

    # Shipped before the customer confirmed: the banner says why, in words.
    await tab.click("#create-order")
    await tab.locator("#open-link").wait_for()
    await tab.locator("#orders button[data-action=ship]").click()
    banner = tab.locator("#error")
    await banner.get_by_text("Бот відмовив у «Відправлено» для замовлення S-1001").wait_for()

    await tab.reload()  # the link is still offered after a reload
    await tab.locator("#open-link").click()
    await customer.locator(".inline-keyboard button", has_text="Підтвердити").click()
    toast = customer.locator(".toast")
    await toast.get_by_text("S-1001").wait_for()
    await tab.reload()  # and old pop-ups are not shown again
    await customer.locator(".message", has_text="S-1001").first.wait_for()
    await tab.locator("#order-for").wait_for()
    assert await toast.is_hidden()

    # Two big pictures: the chat still shows the newest message, the bot's answer to them.
    sent = len(standin.chat(cast.CUSTOMER_ID).messages)
    await customer.locator("input[type=file]").set_input_files(
        [{"name": f"{n}.png", "mimeType": "image/png", "buffer": png(640, 480)} for n in range(2)]
    )
    answer = await standin.wait_for_message(
        cast.CUSTOMER_ID, lambda m: m.from_bot and m.message_id > sent + 2, timeout=10
    )
    newest = customer.locator(f".message[data-message-id='{answer.message_id}']")
    await newest.wait_for()
    await tab.wait_for_function(
        "[...document.querySelectorAll('#chat-customer .message img')].every(i => i.complete)"
    )
    await tab.wait_for_function(
        "(box => box.scrollHeight - box.scrollTop - box.clientHeight < 40)"
        "(document.querySelector('#chat-customer .messages'))"
    )
    assert await newest.is_visible()

    # Each entry of the shop's log is numbered once, newest first.
    numbers = await tab.locator("#shop-log .seq").all_inner_texts()
    assert numbers == [f"{n}." for n in range(len(numbers), 0, -1)] and len(numbers) >= 3
    style = await tab.locator("#shop-log").evaluate("node => getComputedStyle(node).listStyleType")
    assert style == "none"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await tab.screenshot(path=str(SCREENSHOTS / "sandbox-first-minutes.png"), full_page=True)


async def test_a_customer_outside_telegram_confirms_from_the_phone_panel(
    browser_page: Any, page: Page
):
    tab = browser_page
    tab.set_default_timeout(WAIT_MS)
    phone = tab.locator("#phone")
    await phone.get_by_text("Повідомлень у Viber і SMS ще немає").wait_for()

    # The shop takes an order from Тарас, who has no Telegram; a quarter of an hour passes.
    await tab.select_option("#order-for", "offline")
    await tab.wait_for_function(
        f"document.querySelector('#order-json').value.includes('{cast.OFFLINE_PHONE}')"
    )
    await tab.click("#create-order")
    await tab.locator("#orders li", has_text="S-1001").wait_for()
    await tab.click("button[data-minutes='15']")

    # His phone shows the Viber message: the text with its links, and the button.
    message = phone.locator(f".handset[data-phone='{cast.OFFLINE_PHONE}'] .phone-message.viber")
    await message.wait_for()
    assert "S-1001" in await message.inner_text()
    button = message.locator("a.viber-button")
    assert await button.inner_text() == "Підтвердити замовлення"
    assert await button.get_attribute("target") == "_blank"
    assert await message.locator(".text a[target=_blank]").count() == 2  # the page, Telegram

    # The button opens the bot's real confirmation page in a new tab; he confirms there.
    async with tab.context.expect_page() as opened:
        await button.click()
    confirmation = await opened.value
    confirmation.set_default_timeout(WAIT_MS)
    await confirmation.wait_for_load_state()
    assert confirmation.url.startswith(f"{page.sandbox.page_url}/c/")
    await confirmation.get_by_text("S-1001").first.wait_for()
    await confirmation.locator("button.ok").click()
    await confirmation.get_by_text("Замовлення S-1001 підтверджено").wait_for()

    # The shop hears it; the sandbox's page showed it all without a reload.
    await tab.locator("#shop-log", has_text="order.confirmed").wait_for()
    assert await tab.locator("#violations .none").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await tab.screenshot(path=str(SCREENSHOTS / "sandbox-phone.png"), full_page=True)
    await confirmation.screenshot(path=str(SCREENSHOTS / "sandbox-phone-page.png"), full_page=True)
