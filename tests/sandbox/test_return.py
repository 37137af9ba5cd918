"""A return, walked through in the sandbox page as a newcomer would: in English, with photos."""

from __future__ import annotations

from aiohttp import FormData

from bot.sandbox import cast
from bot.standin import TINY_PNG, StoredMessage
from tests.sandbox.conftest import Page
from tests.sandbox.test_flows import press

CUSTOMER = cast.CUSTOMER_ID
# The smallest GIF (1x1): a second picture, told apart from TINY_PNG.
TINY_GIF = bytes.fromhex(
    "47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b"
)


async def pressed(page: Page, message_id: int, text: str) -> None:
    """Press a button of the customer's message and wait until the bot has edited it."""
    await press(page, "customer", message_id, text)
    await page.sandbox.standin.wait_for_edit(CUSTOMER, message_id, timeout=10)


async def request_a_return(page: Page) -> tuple[StoredMessage, StoredMessage]:
    """Olena (in English) returns a defective cap with two photos: the managers' photo and card."""
    standin = page.sandbox.standin
    await page.post("/api/chats/customer/language", {"language": "en"})
    order = await page.create_order()
    await page.post("/api/open-link", {"url": order["telegram_link"]})
    card = await standin.wait_for_message(CUSTOMER, "S-1001", timeout=10)
    await pressed(page, card.message_id, "✅ Confirm")
    await page.post("/api/shop/orders/S-1001/ship")
    await page.post("/api/shop/orders/S-1001/received")
    thanks = await standin.wait_for_message(CUSTOMER, "🎉", timeout=10)

    await press(page, "customer", thanks.message_id, "↩️ Return an item")
    step = await standin.wait_for_message(CUSTOMER, "Return from order S-1001", timeout=10)
    await pressed(page, step.message_id, "▫️ Кепка")
    await pressed(page, step.message_id, "Next ➡️")
    await pressed(page, step.message_id, "Defective 📷")

    form = FormData()  # two pictures picked at once: an album, as Telegram sends them
    form.add_field("file", TINY_PNG, filename="seam.png", content_type="image/png")
    form.add_field("file", TINY_GIF, filename="tag.gif", content_type="image/gif")
    assert (
        await page.client.post("/api/chats/customer/photo", data=form, headers=page.headers)
    ).status == 200
    got = await standin.wait_for_message(CUSTOMER, "photos received", timeout=10)
    assert got.visible.startswith("📷 2 photos received.")
    sent = [m for m in standin.chat(CUSTOMER).messages if not m.from_bot and m.kind == "photo"]
    assert len(sent) == 2 and sent[0].media_group_id == sent[1].media_group_id is not None
    await pressed(page, got.message_id, "✅ Done")
    await page.post("/api/chats/customer/text", {"text": "The seam came apart"})
    wish = await standin.wait_for_message(CUSTOMER, "What would you like", timeout=10)
    await pressed(page, wish.message_id, "Store credit")
    assert "Your return request" in wish.visible  # the same message, now the summary
    await pressed(page, wish.message_id, "✅ Submit")

    told = await standin.wait_for_message(CUSTOMER, "R-000001 for order S-1001", timeout=10)
    assert "Нова пошта" in told.visible  # the sandbox's example return address
    photo = await standin.wait_for_message(cast.MANAGERS_CHAT_ID, "R-000001", timeout=10)
    card = await standin.wait_for_message(
        cast.MANAGERS_CHAT_ID, lambda m: "R-000001" in m.visible and bool(m.inline_buttons), 10
    )
    return photo, card


async def test_a_return_from_the_thank_you_message_to_the_managers_card(page: Page):
    photo, card = await request_a_return(page)
    state = await page.state()
    shown = {m["id"]: m for m in state["managers"]["messages"]}
    passed_on = [
        await (await page.client.get(f"/api/files/{m['photo']}")).read()
        for m in state["managers"]["messages"]
        if "photo" in m
    ]
    assert passed_on == [TINY_PNG, TINY_GIF]  # the customer's own photos, passed on
    assert photo.message_id in shown
    assert any(b["kind"] == "callback" for row in shown[card.message_id]["buttons"] for b in row)
    assert state["violations"] == []
