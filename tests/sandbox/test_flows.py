"""The sandbox page's calls, as its JavaScript makes them: every flow a newcomer walks through."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiohttp import FormData

from bot.clock import ShiftedClock
from bot.sandbox import cast
from bot.standin import TINY_PNG
from tests.sandbox.conftest import Page, open_page

CUSTOMER = cast.CUSTOMER_ID
MANAGERS = cast.MANAGERS_CHAT_ID


def texts(state: dict, chat: str) -> list[str]:
    return [m["html"] for m in state[chat]["messages"]]


def button_at(message: dict, text: str) -> tuple[int, int]:
    for row_index, row in enumerate(message["buttons"]):
        for column_index, button in enumerate(row):
            if button["text"] == text:
                return row_index, column_index
    raise AssertionError(f"no button {text!r}: {message['buttons']}")


async def press(page: Page, chat: str, message_id: int, text: str) -> None:
    state = await page.state()
    [message] = [m for m in state[chat]["messages"] if m["id"] == message_id]
    row, column = button_at(message, text)
    body = {"message_id": message_id, "row": row, "column": column}
    assert await page.post(f"/api/chats/{chat}/press", body) == {"ok": True}


async def confirmed_order(page: Page) -> dict:
    order = await page.create_order()
    assert await page.post("/api/open-link", {"url": order["telegram_link"]}) == {"ok": True}
    card = await page.sandbox.standin.wait_for_message(CUSTOMER, "S-1001", timeout=10)
    await press(page, "customer", card.message_id, "✅ Підтвердити")
    await page.sandbox.standin.wait_for_edit(CUSTOMER, card.message_id, timeout=10)
    return order


async def test_an_order_is_confirmed_in_the_customer_chat_and_the_shop_hears_it(page: Page):
    state = await page.state()
    assert state["customer"]["started"] is False and state["customer"]["messages"] == []
    assert state["shop"]["examples"]["customer"]["external_id"] == "S-1001"

    await confirmed_order(page)

    await page.sandbox.standin.wait_for_call(
        "answerCallbackQuery", timeout=10
    )  # the press was answered, as Telegram requires
    state = await page.state()
    assert state["customer"]["started"] is True
    card = next(m for m in state["customer"]["messages"] if "S-1001" in m["html"])
    assert "<b>" in card["html"] and card["edited"] is True
    entries = state["shop"]["entries"]
    assert entries[0]["title"] == "POST /api/v1/orders" and entries[0]["status"] == 201
    assert state["shop"]["orders"] == [{"external_id": "S-1001", "waybill": None}]
    assert state["shop"]["examples"]["customer"]["external_id"] == "S-1002"
    hooks = await _until_webhook(page, "order.confirmed")
    assert hooks[-1]["status"] == 200  # signed with the shop's secret: the panel checked it
    assert state["violations"] == []


async def _until_webhook(page: Page, event: str) -> list[dict]:
    for _ in range(100):
        entries = (await page.state())["shop"]["entries"]
        found = [e for e in entries if e["kind"] == "webhook" and e["title"] == event]
        if found:
            return found
        await page.sandbox.wait_for_change(0.2)
    raise AssertionError(f"no webhook {event}")


async def test_a_parcel_is_shipped_arrives_is_reminded_and_picked_up(page: Page):
    await confirmed_order(page)
    standin = page.sandbox.standin

    shipped = await page.post("/api/shop/orders/S-1001/ship")
    assert shipped["status"] == 201, shipped
    await standin.wait_for_message(CUSTOMER, "🚚", timeout=10)
    arrived = await page.post("/api/shop/orders/S-1001/arrived")
    assert arrived["answer"]["applied"] is True
    notice = await standin.wait_for_message(CUSTOMER, "📦", timeout=10)
    assert "Відділення №12" in notice.visible

    await page.post("/api/clock", {"minutes": 24 * 60 + 60})  # the next day, past 11:00
    await standin.wait_for_message(CUSTOMER, "⏰", timeout=10)
    await page.post("/api/shop/orders/S-1001/received")
    await standin.wait_for_message(CUSTOMER, "🎉", timeout=10)
    state = await page.state()
    assert state["shop"]["orders"][0]["waybill"] == "20450000000001"
    assert state["violations"] == []


async def test_a_risky_and_a_blacklisted_customer_alert_the_managers(page: Page):
    await page.create_order("risky")
    alert = await page.sandbox.standin.wait_for_message(MANAGERS, "Ризикове замовлення", timeout=10)
    assert "S-1001" in alert.visible
    await page.create_order("blacklisted")
    held = await page.sandbox.standin.wait_for_message(MANAGERS, "Чорний список", timeout=10)
    assert "S-1002" in held.visible

    state = await page.state()
    [shown] = [m for m in state["managers"]["messages"] if m["id"] == held.message_id]
    assert any(button["kind"] == "callback" for row in shown["buttons"] for button in row)


async def test_the_seeded_past_stays_risky_whatever_the_date(tmp_path: Path):
    # The imported history is dated back from the sandbox's today: a year on, Ірина's refusals
    # are still recent, and her order still alerts the managers.
    a_year_on = ShiftedClock(lambda: datetime.now(UTC) + timedelta(days=400))
    async with open_page(tmp_path, a_year_on) as later:
        await later.create_order("risky")
        alert = await later.sandbox.standin.wait_for_message(
            MANAGERS, "Ризикове замовлення", timeout=10
        )
        assert "S-1001" in alert.visible


async def test_each_chat_speaks_the_language_chosen_for_it(page: Page):
    await page.post("/api/chats/customer/language", {"language": "en"})
    order = await page.create_order()
    await page.post("/api/open-link", {"url": order["telegram_link"]})
    card = await page.sandbox.standin.wait_for_message(CUSTOMER, "S-1001", timeout=10)
    assert "Confirm" in json.dumps(card.reply_markup)

    await page.post("/api/chats/managers/language", {"language": "ru"})  # the bot restarts
    await page.create_order("risky")
    alert = await page.sandbox.standin.wait_for_message(MANAGERS, "S-1002", timeout=15)
    assert "Рискованный заказ" in alert.visible
    state = await page.state()
    assert (state["customer"]["language"], state["managers"]["language"]) == ("en", "ru")


async def test_the_customer_can_start_share_the_phone_and_send_a_photo(page: Page):
    await page.post("/api/chats/customer/start")
    standin = page.sandbox.standin
    await standin.wait_for_message(CUSTOMER, timeout=10)
    state = await page.state()
    [[share]] = state["customer"]["keyboard"]
    assert share["contact"] is True
    await page.post("/api/chats/customer/contact")
    await standin.wait_for_message(CUSTOMER, timeout=10)

    form = FormData()
    form.add_field("file", TINY_PNG, filename="box.png", content_type="image/png")
    form.add_field("caption", "коробка")
    response = await page.client.post("/api/chats/customer/photo", data=form, headers=page.headers)
    assert response.status == 200
    state = await page.state()
    photo = next(m for m in state["customer"]["messages"] if "photo" in m)
    assert photo["html"] == "коробка"
    image = await page.client.get(f"/api/files/{photo['photo']}")
    assert image.status == 200 and await image.read() == TINY_PNG


async def test_violations_of_telegram_rules_are_listed_for_the_page(page: Page):
    bot = page.sandbox.app.bot  # a template that breaks the rules, as the bot would send it
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(CUSTOMER, "<b>unclosed", parse_mode="HTML")
    state = await page.state()
    [violation] = state["violations"]
    assert violation["method"] == "sendMessage" and violation["status"] == 400
    assert "<b>unclosed" in violation["params"]


async def test_what_a_telegram_user_cannot_do_is_refused_in_the_page_language(page: Page):
    refused = await page.post("/api/chats/customer/text?lang=en", {"text": "hello"}, status=409)
    assert refused["error"] == {
        "code": "not_started",
        "message": "The customer has to press Start first.",
    }
    forged = await page.post(
        "/api/chats/managers/press?lang=ru",
        {"message_id": 999, "row": 0, "column": 0},
        status=409,
    )
    assert forged["error"]["message"] == "Этого сообщения или кнопки уже нет."
    assert (await page.post("/api/chats/nobody/text", {"text": "x"}, status=409))["error"][
        "code"
    ] == "unknown_chat"
    await page.post("/api/chats/customer/press", {"message_id": "1"}, status=400)
    await page.post("/api/clock", {"minutes": 0}, status=409)
    await page.post("/api/open-link", {"url": "https://t.me/other_bot?start=x"}, status=400)
    await page.post("/api/shop/orders", {"order": "{not json"}, status=400)
    await page.post("/api/shop/orders/S-404/arrived", status=409)
    await page.post("/api/chats/customer/language", {"language": "de"}, status=400)
    bad_photo = FormData()
    bad_photo.add_field("file", b"%PDF-1.4", filename="x.pdf", content_type="application/pdf")
    response = await page.client.post(
        "/api/chats/customer/photo", data=bad_photo, headers=page.headers
    )
    assert response.status == 400
    mixed = FormData()  # one bad file sinks the album: none of it is sent
    mixed.add_field("file", TINY_PNG, filename="ok.png", content_type="image/png")
    mixed.add_field("file", b"%PDF-1.4", filename="x.pdf", content_type="application/pdf")
    assert (
        await page.client.post("/api/chats/customer/photo", data=mixed, headers=page.headers)
    ).status == 400
    eleven = FormData()  # more than an album holds in one post (the page sends 10 at a time)
    for n in range(11):
        eleven.add_field("file", TINY_PNG, filename=f"{n}.png", content_type="image/png")
    assert (
        await page.client.post("/api/chats/customer/photo", data=eleven, headers=page.headers)
    ).status == 400

    unknown = await page.post("/api/shop/orders/S%3F1/ship")  # the shop API's own 404, logged
    assert unknown["status"] == 404 and unknown["answer"]["error"]["code"] == "not_found"
    answer = await page.post("/api/shop/orders", {"order": json.dumps({"external_id": ""})})
    assert answer["status"] == 422  # the shop API's own answer, shown in the panel
    state = await page.state()
    assert state["customer"]["messages"] == [] and state["shop"]["orders"] == []
    assert state["violations"] == []


async def test_the_page_and_its_words_are_served_in_three_languages(page: Page):
    html = await (await page.client.get("/")).text()
    assert '<script src="/static/sandbox.js">' in html
    assert (await page.client.get("/static/sandbox.js")).status == 200
    assert (await page.client.get("/static/../session.py")).status == 404
    words = {}
    for language in ("uk", "ru", "en"):
        response = await page.client.get(f"/api/labels?lang={language}")
        words[language] = (await response.json())["labels"]
    assert words["en"]["create_order"] == "Create order"
    assert words["uk"]["create_order"] == "Створити замовлення"
    assert words["ru"]["create_order"] == "Создать заказ"
    assert set(words["uk"]) == set(words["en"])
