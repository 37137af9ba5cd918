"""Returns after the request, through the real bot: the managers' card and its buttons, their
questions in the group, the customer's answers and waybill, the parcel back, the refund, /returns
and the review reminder. Everyone reads English here (DEFAULT_LANGUAGE and the order's language),
so these texts stay true when the other catalogs are translated."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from bot.standin.records import StoredMessage
from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.e2e.shop import SHOP_TOKEN
from tests.services.returns.helpers import COMPACT_IBAN, MASKED_IBAN, submitted_return

ADDRESS = "Kyiv, 5 Skladska St, Nova Poshta branch 3"
RETURN_WAYBILL = "59000123456789"


@pytest.fixture
def extra_settings() -> dict[str, object]:
    return {"default_language": "en", "return_address": ADDRESS}


async def shop(world: World, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    url = f"http://127.0.0.1:{world.app.api_port}{path}"
    headers = {"Authorization": f"Bearer {SHOP_TOKEN}"}
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, url, json=body, headers=headers) as response,
    ):
        return response.status, await response.json()


async def requested(world: World, external_id: str = "A-1001") -> tuple[str, StoredMessage]:
    """Olena (who opened the bot) received her order and asked to return a T-shirt."""
    if not world.olena.record.has_started:
        world.olena.send_command("/start")
        await world.telegram.wait_for_message(world.olena.id)
    return_ = await submitted_return(world.app.db, world.app.ctx, external_id=external_id)
    number = f"R-{return_.id:06d}"
    await world.telegram.wait_for_message(world.olena.id, f"Return request {number}", timeout=10)
    card = await world.telegram.wait_for_message(
        MANAGERS_CHAT, lambda m: number in m.visible and bool(m.inline_buttons)
    )
    assert COMPACT_IBAN in card.visible  # in full, for the managers only
    return number, card


def labels(message: StoredMessage) -> list[str]:
    return [button["text"] for button in message.inline_buttons]


async def answer_prompt(world: World, needle: str, words: str) -> StoredMessage:
    """The manager replies to the desk's question in the group (privacy mode lets it in)."""
    prompt = await world.telegram.wait_for_message(MANAGERS_CHAT, needle)
    assert prompt.reply_markup == {
        "force_reply": True,
        "selective": True,
        "input_field_placeholder": prompt.reply_markup["input_field_placeholder"],
    }
    # It says how to answer: a plain message in the group never reaches the bot.
    assert prompt.visible.endswith(
        "↩️ Reply to this message: in this group the bot sees only replies to its own messages."
    )
    world.manager.send_text(words, chat_id=MANAGERS_CHAT, reply_to=prompt)
    return prompt


async def test_approve_waybill_arrival_inspection_and_refund(world: World):
    number, card = await requested(world)

    refused = await world.intern.press(card, "✅ Approve").answer()
    assert refused.show_alert and "not allowed" in refused.text
    forged = await world.manager.press_forged(
        card.message_id, "rt:a:999999", chat_id=MANAGERS_CHAT
    ).answer()
    assert forged.show_alert and forged.text == "Return not found."

    done = await world.manager.press(card, "✅ Approve").answer()
    assert done.text == "Approved: the customer is asked for the waybill."
    edit = await world.telegram.wait_for_edit(MANAGERS_CHAT, card.message_id)
    assert labels(edit.message) == ["📦 The parcel arrived"]
    assert "approved · Марія" in (edit.after.text or "")
    approved = await world.telegram.wait_for_message(world.olena.id, "is approved")
    assert ADDRESS in approved.visible and "14 digits" in approved.visible
    assert (await world.hooks.wait_for("return.approved"))["return"] == number
    left_from_review = f"rt:r:{int(number[2:])}"  # "Reject", no longer on the card
    stale = await world.manager.press_forged(
        card.message_id, left_from_review, chat_id=MANAGERS_CHAT
    ).answer()
    assert stale.show_alert and "no longer applies" in stale.text

    world.olena.send_text("1234 5")
    retry = await world.telegram.wait_for_message(world.olena.id, "does not look like")
    assert "14 digits" in retry.visible
    world.olena.send_text("5900 0123 4567 89")
    saved = await world.telegram.wait_for_message(world.olena.id, "is saved")
    assert RETURN_WAYBILL in saved.visible
    shipped = await world.hooks.wait_for("return.shipped")
    assert (shipped["waybill"], shipped["carrier"]) == (RETURN_WAYBILL, "nova_poshta")

    status, answer = await shop(
        world,
        "POST",
        f"/api/v1/shipments/{RETURN_WAYBILL}/events",
        {"status": "arrived", "point": "Branch 3"},
    )
    assert (status, answer["applied"], answer["shipment"]["order"]) == (200, True, "A-1001")
    arrived = await world.telegram.wait_for_message(MANAGERS_CHAT, "has arrived")
    assert arrived.reply_to == card.message_id and "Branch 3" in arrived.visible
    await world.telegram.wait_for_message(world.olena.id, "has reached us")
    await world.hooks.wait_for("return.received")
    edit = await world.telegram.wait_for_edit(MANAGERS_CHAT, card.message_id, "the parcel arrived")
    assert labels(edit.message) == ["✅ Inspected: OK → refund", "❌ Inspected: rejected"]

    await world.manager.press(card, "✅ Inspected: OK → refund").answer()
    await world.telegram.wait_for_message(world.olena.id, "all is well")
    await world.hooks.wait_for("return.accepted")
    await world.telegram.wait_for_edit(MANAGERS_CHAT, card.message_id, "inspected: OK")

    await world.manager.press(card, "💸 Refund sent").answer()
    prompt = await answer_prompt(world, "how much was refunded", "450")
    assert "450.00\xa0UAH" in prompt.visible  # the returned T-shirt's price, suggested
    closed = await world.telegram.wait_for_edit(MANAGERS_CHAT, prompt.message_id)
    assert "Refund of 450.00\xa0UAH" in (closed.after.text or "")
    refunded = await world.telegram.wait_for_message(world.olena.id, "refund for return")
    assert "450.00\xa0UAH" in refunded.visible and MASKED_IBAN in refunded.visible
    assert COMPACT_IBAN not in refunded.visible
    hook = await world.hooks.wait_for("return.refunded")
    assert (hook["refund_amount"], hook["currency"]) == ("450.00", "UAH")
    final = await world.telegram.wait_for_edit(MANAGERS_CHAT, card.message_id, "Refunded")
    assert final.message.inline_buttons == []

    status, body = await shop(world, "GET", f"/api/v1/returns/{number}")
    assert (status, body["status"], body["iban"]) == (200, "refunded", MASKED_IBAN)
    assert [event["to_status"] for event in body["history"]] == [
        "requested",
        "approved",
        "shipped",
        "received",
        "accepted",
        "refunded",
    ]


async def test_question_answered_then_rejected_with_a_reason(world: World):
    number, card = await requested(world)

    await world.manager.press(card, "❓ Ask for more info").answer()
    world.manager.send_text("stray chatter", chat_id=MANAGERS_CHAT)  # not a reply: not taken
    await answer_prompt(world, "what should we ask", "Are the tags still on?")
    question = await world.telegram.wait_for_message(world.olena.id, "has a question")
    assert "Are the tags still on?" in question.visible
    assert (await world.hooks.wait_for("return.info_requested"))["comment"] == (
        "Are the tags still on?"
    )

    world.olena.send_text("Yes, all of them")
    thanks = await world.telegram.wait_for_message(world.olena.id, "passed on")
    assert number in thanks.visible
    relay = await world.telegram.wait_for_message(MANAGERS_CHAT, "answered about return")
    assert "Yes, all of them" in relay.visible and relay.reply_to == card.message_id
    assert (await world.hooks.wait_for("return.info_provided"))["comment"] == "Yes, all of them"
    await world.telegram.wait_for_edit(MANAGERS_CHAT, card.message_id, "the customer answered")

    world.olena.send_text("and one more thing")  # nothing waits for her words now
    await world.telegram.wait_for_message(world.olena.id, "did not understand")

    await world.manager.press(card, "❌ Reject").answer()
    await answer_prompt(world, "why is return", "The tags were <cut off>")
    rejected = await world.telegram.wait_for_message(world.olena.id, "is rejected")
    assert "Reason: The tags were <cut off>" in rejected.visible
    assert (await world.hooks.wait_for("return.rejected"))["comment"] == "The tags were <cut off>"
    edit = await world.telegram.wait_for_edit(MANAGERS_CHAT, card.message_id, "rejected · Марія")
    assert edit.message.inline_buttons == []
    _status, body = await shop(world, "GET", f"/api/v1/returns/{number}")
    assert (body["status"], body["manager_note"]) == ("rejected", "The tags were <cut off>")


async def test_a_reply_quicker_than_the_bot_learns_its_question_still_closes_it(world: World):
    number, card = await requested(world)
    # The question reaches the group at once, but Telegram's answer to the bot (the question's
    # message id) is slow: the manager replies before the bot knows which message it sent.
    world.telegram.hold_answers("sendMessage")
    await world.manager.press(card, "❌ Reject").answer()
    prompt = await answer_prompt(world, "why is return", "Wrong size sent back")

    closed = await world.telegram.wait_for_edit(MANAGERS_CHAT, prompt.message_id)
    assert f"Return {number} is rejected" in (closed.after.text or "")
    world.telegram.release_answers("sendMessage")
    rejected = await world.telegram.wait_for_message(world.olena.id, "is rejected")
    assert "Reason: Wrong size sent back" in rejected.visible
    assert (await world.hooks.wait_for("return.rejected"))["return"] == number


async def test_returns_list_and_the_review_reminder(world: World):
    number, card = await requested(world)

    world.manager.send_command("/returns", chat_id=MANAGERS_CHAT)
    listing = await world.telegram.wait_for_message(MANAGERS_CHAT, "Open returns")
    assert f"{number} · A-1001 · Олена Коваль · waiting for a decision" in listing.visible
    assert "⏰" not in listing.visible

    world.clock.advance(timedelta(hours=24, minutes=1))
    reminder = await world.telegram.wait_for_message(MANAGERS_CHAT, "has waited for a manager")
    assert number in reminder.visible and "1 day" in reminder.visible
    assert reminder.reply_to == card.message_id
    async with world.app.db.uow() as uow:
        stored = await uow.returns.get(int(number[2:]))
        assert stored is not None and stored.announced_at == world.clock.now()
