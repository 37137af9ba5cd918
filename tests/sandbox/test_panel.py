"""The shop panel as a shop owner meets it in the first minutes: refusals in words, the link kept."""

from __future__ import annotations

from tests.sandbox.conftest import Page


async def test_shipping_an_unconfirmed_order_says_why_in_the_page_language(page: Page):
    await page.create_order()
    shipped = await page.post("/api/shop/orders/S-1001/ship?lang=en")
    assert shipped["status"] == 409  # the API's own answer stays in the log
    assert shipped["message"] == (
        "The bot refused “Shipped” for order S-1001: it is awaiting confirmation. Nothing "
        "changed. The customer confirms it in their chat first."
    )
    in_uk = await page.post("/api/shop/orders/S-1001/ship?lang=uk")
    assert in_uk["message"].startswith("Бот відмовив у «Відправлено» для замовлення S-1001")
    unknown = await page.post("/api/shop/orders/S-404/ship?lang=en")
    assert unknown["message"] == "The bot does not know order S-404."
    bad = await page.post("/api/shop/orders?lang=en", {"order": '{"external_id": ""}'})
    assert bad["status"] == 422
    assert bad["message"].startswith("The bot refused the order: these fields are wrong")
    created = await page.post("/api/shop/orders/S-1001/ship?lang=en")  # still refused, nothing new
    assert "message" in created and (await page.state())["shop"]["orders"][0]["waybill"] is None


async def test_the_open_link_button_survives_a_reload_of_the_page(page: Page):
    order = await page.create_order()
    assert (await page.state())["shop"]["link"] == order["telegram_link"]
    await page.create_order("risky")  # Iryna has no Telegram here: no link to open
    assert (await page.state())["shop"]["link"] is None
