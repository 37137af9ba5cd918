"""A customer returns an item in the chat, step by step, up to Submit; the managers get the request.

Olena's orders are in English here (``language: en``), so what she reads does not depend on the
state of the translations.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Application
from bot.keyboards.callbacks import ReturnItemCD, ReturnOrderCD, ReturnStepAction, ReturnStepCD
from bot.standin.records import StoredMessage
from storage.models import Return
from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.e2e.test_confirmation import start_token
from tests.e2e.test_tracking import WAYBILL, shop_post

VALID_IBAN = "UA21 3223 1300 0002 6007 2335 6600 1"
SHIRT = {"sku": "TSHIRT-M", "name": "Футболка M", "quantity": 2, "price": "450.00"}
HAT = {"sku": "HAT", "name": "Шапка", "quantity": 1, "price": "300.00"}
CREAM = {"sku": "CREAM", "name": "Крем", "quantity": 1, "price": "200.00", "returnable": False}


@pytest.fixture
def extra_settings(tmp_path: Path) -> dict[str, object]:
    templates = tmp_path / "texts.toml"
    templates.write_text(
        '[return_packing_defective]\nen = "Wrap it in bubble wrap and write {return_number} on it."\n',
        encoding="utf-8",
    )
    return {"templates_file": templates, "return_address": "Nova Poshta, Kyiv, branch 5"}


def buttons(message: StoredMessage) -> list[str]:
    return [button["text"] for button in message.inline_buttons]


def flow_of(message: StoredMessage) -> int:
    return ReturnStepCD.unpack(message.inline_buttons[-1]["callback_data"]).flow


async def new_order(world: World, external_id: str, items: list[dict[str, Any]]) -> StoredMessage:
    """An order in English whose card reached Olena (she opens the deep link the first time)."""
    order = await world.shop.create_order(external_id=external_id, items=items, language="en")
    if not world.telegram.bot_messages(world.olena.id):
        world.olena.send_command("/start", start_token(order["telegram_link"]))
        await world.telegram.wait_for_message(world.olena.id, "linked")
    return await world.telegram.wait_for_message(world.olena.id, external_id)


async def received_by_shop(world: World, external_id: str) -> None:
    for status in ("confirmed", "shipped", "received"):
        await shop_post(world, f"/api/v1/orders/{external_id}/status", {"status": status})


async def pressed(world: World, message: StoredMessage, label: str) -> str | None:
    """Press a button and wait for the bot's answer to it; the alert's text, if any."""
    answer = await world.olena.press(message, label).answer()
    return answer.text if answer.show_alert else None


async def forged(world: World, message: StoredMessage, data: str) -> str | None:
    answer = await world.olena.press_forged(message.message_id, data).answer()
    return answer.text if answer.show_alert else None


async def stored_returns(world: World) -> list[Return]:
    async with world.db.uow() as uow:
        return list(await uow.returns.with_status(None, 10))


async def test_from_the_received_message_to_submit_with_an_album_and_an_iban(world: World):
    card = await new_order(world, "A-1001", [SHIRT, HAT, CREAM])
    await world.olena.press(card, "✅ Confirm").answer()
    body = {"carrier": "nova_poshta", "tracking_number": WAYBILL}
    await shop_post(world, "/api/v1/orders/A-1001/shipment", body)
    await shop_post(world, f"/api/v1/shipments/{WAYBILL}/events", {"status": "received"})
    thanks = await world.telegram.wait_for_message(world.olena.id, "🎉")
    assert buttons(thanks)[-1] == "↩️ Return an item"

    # Rating keeps the button; the button starts the request in a new message.
    await world.olena.press(thanks, "5⭐").answer()
    await world.telegram.wait_for_edit(world.olena.id, thanks.message_id)
    assert buttons(thanks) == ["↩️ Return an item"]
    assert await pressed(world, thanks, "↩️ Return an item") is None
    step = await world.telegram.wait_for_message(world.olena.id, "Return from order A-1001")
    assert "• Крем: the shop does not take this item back" in step.visible
    assert buttons(step) == ["▫️ Футболка M · 0/2", "▫️ Шапка", "Next ➡️", "❌ Cancel"]

    # 1. items: nothing chosen yet; two shirts counted; the hat toggled on and off.
    assert await pressed(world, step, "Next ➡️") == "Choose at least one item to return."
    await pressed(world, step, "▫️ Футболка M · 0/2")
    assert "How many of “Футболка M”" in step.visible
    assert buttons(step) == ["1", "2", "⬅️ Back"]
    await pressed(world, step, "2")
    await pressed(world, step, "▫️ Шапка")
    await pressed(world, step, "✅ Шапка")
    assert buttons(step)[:2] == ["✅ Футболка M · 2/2", "▫️ Шапка"]
    cream = await item_id(world, "A-1001", "Крем")
    flow = flow_of(step)
    assert await forged(world, step, ReturnItemCD(flow=flow, item_id=cream).pack()) == (
        "“Крем” cannot be returned."
    )

    # 2. the reason, with Back to the items (the choice is kept).
    await pressed(world, step, "Next ➡️")
    assert "Why are you returning it?" in step.visible
    assert buttons(step)[:2] == ["Wrong size", "Defective 📷"]
    await pressed(world, step, "⬅️ Back")
    assert buttons(step)[0] == "✅ Футболка M · 2/2"
    await pressed(world, step, "Next ➡️")
    await pressed(world, step, "Defective 📷")

    # 3. photos: required; anything else is re-prompted; an album is one answer; at most 5.
    assert "at least one, at most 5" in step.visible
    assert buttons(step) == ["⬅️ Back", "❌ Cancel"]
    done = ReturnStepCD(action=ReturnStepAction.done, flow=flow).pack()
    assert await forged(world, step, done) == "For this reason we need at least one photo."
    world.olena.send_sticker()
    await world.telegram.wait_for_message(world.olena.id, "not as a file, sticker or text")
    world.olena.send_text("here it is")
    await world.telegram.wait_for_message(world.olena.id, "not as a file, sticker or text")
    first = world.olena.send_album(3)
    three = await world.telegram.wait_for_message(world.olena.id, "photos received")
    assert three.visible.startswith("📷 3 photos received.")
    assert "Photos so far: 3 of 5." in three.visible
    second = world.olena.send_album(3)
    full = await world.telegram.wait_for_message(world.olena.id, "photos received")
    assert full.visible.splitlines() == [
        "📷 2 photos received.",
        "At most 5 photos, please: 1 more photo was not added.",
        "Photos so far: 5 of 5.",
        "That is all we need: press Done.",
    ]
    assert buttons(full) == ["✅ Done", "🗑 Remove the photos", "⬅️ Back", "❌ Cancel"]

    # 4. a comment (its HTML is shown as typed), 5. a refund to an IBAN, checked.
    await pressed(world, full, "✅ Done")
    assert "add a comment" in full.visible
    world.olena.send_text("Шов розійшовся <одразу> & все")
    wish = await world.telegram.wait_for_message(world.olena.id, "What would you like")
    assert buttons(wish) == [
        "Refund to a bank account (IBAN)",
        "Store credit",
        "Exchange",
        "⬅️ Back",
        "❌ Cancel",
    ]
    await pressed(world, wish, "Refund to a bank account (IBAN)")
    assert "Please send the IBAN" in wish.visible
    for wrong, why in [
        ("UA21 3223 1300 0002 6007 2335 6600 2", "check digits do not match"),
        ("UA21 3223 1300 0002 6007 2335 6600", "has 29 characters"),
        ("DE89 3704 0044 0532 0130 00", "starts with UA"),
    ]:
        world.olena.send_text(wrong)
        await world.telegram.wait_for_message(world.olena.id, why)
    world.olena.send_text(VALID_IBAN)
    await world.telegram.wait_for_message(world.olena.id, "account holder's full name")
    world.olena.send_text("Олена Коваль")

    # 6. the summary, IBAN masked, then Submit.
    summary = await world.telegram.wait_for_message(world.olena.id, "Your return request")
    assert summary.visible.splitlines() == [
        "📝 Your return request",
        "Order A-1001",
        "• Футболка M × 2",
        "Reason: Defective",
        "Photos: 5",
        "Comment: Шов розійшовся <одразу> & все",
        "Wanted: Refund to a bank account (IBAN): UA21 **** 6001, Олена Коваль",
        "",
        "Please check everything and press Submit.",
    ]
    assert buttons(summary) == ["✅ Submit", "⬅️ Back", "❌ Cancel"]
    answer = await world.olena.press(summary, "✅ Submit").answer()
    assert answer.text == "Return request R-000001 is registered."
    assert summary.visible.endswith("✅ Sent: return request R-000001.")
    assert not summary.inline_buttons
    told = await world.telegram.wait_for_message(world.olena.id, "R-000001 for order A-1001")
    assert "Wrap it in bubble wrap and write R-000001 on it." in told.visible  # TEMPLATES_FILE
    assert "Nova Poshta, Kyiv, branch 5" in told.visible

    # What is stored: the largest size of five of the photos, each once, in the order sent.
    [stored] = await stored_returns(world)
    largest = [m.photo[-1]["file_unique_id"] for m in [*first, *second]]
    kept = [p.file_unique_id for p in stored.photos]
    assert kept[:3] == largest[:3] and len(set(kept)) == 5
    assert kept == [unique for unique in largest if unique in kept]
    assert [(i.order_item.name, i.quantity) for i in stored.items] == [("Футболка M", 2)]
    assert (stored.reason, stored.resolution) == ("defect", "iban")
    assert stored.iban == "UA213223130000026007233566001"
    assert stored.comment == "Шов розійшовся <одразу> & все"
    answers = [
        message
        for message in world.telegram.bot_messages(world.olena.id)
        if any("received." in (v.text or "") for v in [*message.history, message.snapshot()])
    ]
    assert answers == [three, full]  # one answer per album
    assert await world.telegram.wait_for_message(MANAGERS_CHAT, "R-000001")


async def order_id(world: World, external_id: str) -> int:
    async with world.db.uow() as uow:
        order = await uow.orders.by_external_id(external_id)
        assert order is not None
        return order.id


async def item_id(world: World, external_id: str, name: str) -> int:
    async with world.db.uow() as uow:
        order = await uow.orders.by_external_id(external_id)
        assert order is not None
        return next(item.id for item in order.items if item.name == name)


async def restart(world: World) -> Application:
    """The bot process stops and another one starts on the same database."""
    await asyncio.wait_for(world.app.stop(), timeout=20)
    app = Application(world.app.settings, clock=world.clock, pacing=world.pacing)
    await app.start()
    await world.telegram.wait_for_polling()
    return app


async def test_choosing_an_order_leaving_half_way_and_coming_back(world: World):
    await new_order(world, "A-2001", [HAT])
    await received_by_shop(world, "A-2001")
    world.clock.advance(timedelta(days=16))  # A-2001 could be returned until 4 December
    await new_order(world, "A-2002", [SHIRT | {"quantity": 1}, CREAM])
    await received_by_shop(world, "A-2002")
    await new_order(world, "A-2003", [HAT])
    await received_by_shop(world, "A-2003")

    world.olena.send_command("/orders")
    listing = await world.telegram.wait_for_message(world.olena.id, "Your recent orders")
    await pressed(world, listing, "↩️ Return an item")
    step = await world.telegram.wait_for_message(world.olena.id, "Which order")
    assert "• A-2001: the return period ended on 4 December" in step.visible
    assert buttons(step) == ["Order A-2003", "Order A-2002", "❌ Cancel"]
    flow = flow_of(step)
    ended = ReturnOrderCD(flow=flow, order_id=await order_id(world, "A-2001")).pack()
    refused = await forged(world, step, ended)
    assert refused is not None and "A-2001 ended on" in refused
    assert "Which order" in step.visible

    # Back from the items to the orders; the other reason asks for words; photos are optional.
    await pressed(world, step, "Order A-2002")
    assert "• Крем: the shop does not take this item back" in step.visible
    assert buttons(step) == ["▫️ Футболка M", "Next ➡️", "⬅️ Back", "❌ Cancel"]
    await pressed(world, step, "⬅️ Back")
    await pressed(world, step, "Order A-2002")
    await pressed(world, step, "▫️ Футболка M")
    await pressed(world, step, "Next ➡️")
    await pressed(world, step, "Other reason")
    assert "Please tell us the reason in a few words." in step.visible
    world.olena.send_sticker()
    await world.telegram.wait_for_message(world.olena.id, "as a text message")
    world.olena.send_text("Тканина не та")
    photos = await world.telegram.wait_for_message(world.olena.id, "You can add photos")
    assert buttons(photos) == ["Skip ➡️", "⬅️ Back", "❌ Cancel"]

    # The process restarts; /return offers to go on where she left off.
    app = await restart(world)
    try:
        world.olena.send_command("/return")
        question = await world.telegram.wait_for_message(world.olena.id, "did not finish it")
        assert buttons(question) == ["▶️ Continue", "🔄 Start over"]
        await pressed(world, question, "▶️ Continue")
        assert "You can add photos" in question.visible
        await pressed(world, question, "Skip ➡️")
        await pressed(world, question, "Skip ➡️")  # no comment
        await pressed(world, question, "Exchange")
        world.olena.send_text("Розмір L")
        summary = await world.telegram.wait_for_message(world.olena.id, "Your return request")
        assert "Reason: Other reason: Тканина не та" in summary.visible
        assert "Photos: 0" in summary.visible and "Wanted: Exchange: Розмір L" in summary.visible

        # /cancel leaves cleanly: nothing stored, the old Submit does nothing.
        world.olena.send_command("/cancel")
        await world.telegram.wait_for_message(world.olena.id, "nothing was sent")
        assert await pressed(world, summary, "✅ Submit") == "This button is no longer valid."

        # Start over from the question; Cancel on a step.
        world.olena.send_command("/return")
        again = await world.telegram.wait_for_message(world.olena.id, "Which order")
        await pressed(world, again, "Order A-2003")
        world.olena.send_command("/return")
        question = await world.telegram.wait_for_message(world.olena.id, "did not finish it")
        await pressed(world, question, "🔄 Start over")
        assert "Which order" in question.visible
        # A button of the request started over (the same step, another flow) changes nothing.
        earlier = ReturnOrderCD(flow=flow_of(again), order_id=await order_id(world, "A-2003"))
        assert await forged(world, question, earlier.pack()) == "This button is no longer valid."
        assert "Which order" in question.visible
        await pressed(world, question, "❌ Cancel")
        assert question.visible == "The return request is cancelled; nothing was sent."
        assert await stored_returns(world) == []
    finally:
        await asyncio.wait_for(app.stop(), timeout=20)
