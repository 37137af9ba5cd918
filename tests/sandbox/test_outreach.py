"""A customer outside Telegram, in the sandbox: the Viber message on the phone panel, its link to
the real confirmation page at the sandbox's own address, and the shop hearing the answer."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.sandbox import cast
from storage.models import Timer
from tests.sandbox.conftest import Page, open_page
from tests.sandbox.test_flows import _until_webhook

OFFLINE = cast.OFFLINE_PHONE


async def phone_messages(page: Page, phone: str, count: int = 1) -> list[dict]:
    """The phone panel's messages to ``phone``, once it shows ``count`` of them."""
    for _ in range(100):
        phones = (await page.state())["phone"]["phones"]
        shown = next((p["messages"] for p in phones if p["phone"] == phone), [])
        if len(shown) >= count:
            return shown
        await page.sandbox.wait_for_change(0.2)
    raise AssertionError(f"no message to {phone}: {phones}")


def confirm_form(page_html: str) -> tuple[str, str]:
    """The confirmation page's Confirm form: where it posts, and its CSRF field."""
    found = re.search(
        r'<form method="post" action="([^"]*/confirm[^"]*)"><input type="hidden" name="csrf" '
        r'value="([^"]+)">',
        page_html,
    )
    assert found, page_html
    return html.unescape(found[1]), html.unescape(found[2])


async def outreach_states(page: Page, external_id: str) -> list[str]:
    assert page.sandbox.app is not None
    async with page.sandbox.app.db.read() as uow:
        order = await uow.orders.by_external_id(external_id)
        assert order is not None
        return [message.state for message in await uow.outreach.of_order(order.id)]


async def test_a_customer_outside_telegram_confirms_on_the_page_the_viber_message_links(
    page: Page,
):
    await page.create_order("offline")
    state = await page.state()
    assert state["phone"] == {"on": True, "phones": []}
    assert state["shop"]["link"] is None  # Тарас has no Telegram to open a link in

    await page.post("/api/clock", {"minutes": 15})  # past OUTREACH_AFTER: the bot writes
    [message] = await phone_messages(page, OFFLINE)
    assert (message["channel"], message["sender"]) == ("viber", cast.SENDER)
    base = page.sandbox.page_url
    button = message["button"]
    assert button["text"] == "Підтвердити замовлення"
    assert button["url"].startswith(f"{base}/p/")  # PUBLIC_URL is the sandbox's address
    assert f'<a href="{button["url"]}" target="_blank"' in message["html"]
    assert "S-1001" in message["html"]
    [sent] = page.sandbox.sms.sent_to(OFFLINE.removeprefix("+"))
    assert sent.cost == cast.VIBER_PRICE and sent.hybrid  # Viber, with SMS if it fails

    # Тарас opens the link: the bot's real page, through the sandbox's own address.
    short = await page.client.get(button["url"].removeprefix(base), allow_redirects=False)
    assert short.status == 302 and short.headers["Location"].startswith("/c/")
    shown = await page.client.get(short.headers["Location"])
    page_html = await shown.text()
    assert shown.status == 200 and "S-1001" in page_html
    assert "frame-ancestors 'none'" in shown.headers["Content-Security-Policy"]
    action, csrf = confirm_form(page_html)
    done = await page.client.post(action, data={"csrf": csrf})  # its own form: no page token
    assert done.status == 200 and "S-1001 підтверджено" in await done.text()
    await _until_webhook(page, "order.confirmed")

    # A while later the bot asks TurboSMS what became of it: the stand-in's "Delivered", read
    # as delivered through TURBOSMS_STATUS_TEXTS.
    await page.post("/api/clock", {"minutes": 15})
    for _ in range(100):
        if await outreach_states(page, "S-1001") == ["delivered"]:
            break
        await page.sandbox.wait_for_change(0.1)
    assert await outreach_states(page, "S-1001") == ["delivered"]
    assert (await page.state())["violations"] == []


async def test_a_customer_without_viber_gets_an_sms_and_olena_none_once_she_opened_the_bot(
    page: Page,
):
    order = await page.create_order()  # Олена opens her link at once: Telegram carries it all
    await page.post("/api/open-link", {"url": order["telegram_link"]})
    await page.sandbox.standin.wait_for_message(cast.CUSTOMER_ID, "S-1001", timeout=10)
    await page.create_order("risky")  # Ірина has no Viber

    await page.post("/api/clock", {"minutes": 15})
    [sms] = await phone_messages(page, cast.RISKY_PHONE)
    assert sms["channel"] == "sms" and "button" not in sms
    assert "S-1002" in sms["html"] and f'href="{page.sandbox.page_url}/p/' in sms["html"]
    phones = (await page.state())["phone"]["phones"]
    assert [p["phone"] for p in phones] == [cast.RISKY_PHONE]
    assert phones[0]["name"] == "Ірина Мельник"


async def test_the_customers_pages_answer_through_the_sandbox_but_not_another_site(page: Page):
    unknown = await page.client.get("/p/NoSuchCode1")  # the bot's own refusal, as a page
    assert unknown.status == 404 and "text/html" in unknown.headers["Content-Type"]
    forged = await page.client.post(
        "/c/token/confirm", data={"csrf": "x"}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status == 403 and (await forged.json())["error"]["code"] == "foreign"
    # Its forms post with "Origin: null" (the page sends no referrer), as Chrome does.
    stale = await page.client.post(
        "/c/token/confirm", data={"csrf": "x"}, headers={"Origin": "null"}
    )
    assert stale.status == 404  # the real page's answer to a link it did not sign
    assert (
        await page.client.post("/api/clock", json={"minutes": 15}, headers={"Origin": "null"})
    ).status == 403


async def test_with_outreach_off_the_phone_panel_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("OUTREACH_CHANNELS", "off")  # as a shop's .env may say
    async with open_page(tmp_path) as off:
        await off.create_order("offline")
        assert (await off.state())["phone"] == {"on": False, "phones": []}
        assert off.sandbox.app is not None
        async with off.sandbox.app.db.read() as uow:
            kinds = (await uow.session.scalars(select(Timer.kind))).all()
        assert kinds and not [kind for kind in kinds if kind.startswith("outreach")]
