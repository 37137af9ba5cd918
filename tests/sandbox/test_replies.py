"""A manager answers the bot's question by replying to it, as in Telegram; other group messages
do not reach the bot (privacy mode), and the page says so."""

from __future__ import annotations

from bot.sandbox import cast
from tests.sandbox.conftest import Page
from tests.sandbox.test_flows import press
from tests.sandbox.test_return import request_a_return

CUSTOMER = cast.CUSTOMER_ID
MANAGERS = cast.MANAGERS_CHAT_ID


def shown(state: dict, chat: str, message_id: int) -> dict:
    [message] = [m for m in state[chat]["messages"] if m["id"] == message_id]
    return message


async def test_a_manager_rejects_a_return_by_replying_to_the_question(page: Page):
    standin = page.sandbox.standin
    _, card = await request_a_return(page)
    await press(page, "managers", card.message_id, "❌ Відхилити")
    question = await standin.wait_for_message(MANAGERS, "чому повернення", timeout=10)
    assert shown(await page.state(), "managers", question.message_id)["force_reply"] == "Причина"

    # Written in the group without replying: Telegram keeps it from the bot; the page greys it.
    await page.post("/api/chats/managers/text", {"text": "Бачу сліди носіння"})
    stray = standin.chat(MANAGERS).messages[-1]
    assert stray.visible == "Бачу сліди носіння" and stray.reached_bot is False
    state = await page.state()
    assert shown(state, "managers", stray.message_id)["unseen"] is True

    answer = {"text": "Кепку вже носили", "reply_to": question.message_id}
    assert await page.post("/api/chats/managers/text", answer) == {"ok": True}
    told = await standin.wait_for_message(CUSTOMER, "Кепку вже носили", timeout=10)
    assert "R-000001" in told.visible and "сліди" not in told.visible
    await standin.wait_for_edit(MANAGERS, question.message_id, timeout=10)
    reply = standin.chat(MANAGERS).messages[-1]
    assert reply.reply_to == question.message_id and reply.reached_bot
    state = await page.state()
    quoted = shown(state, "managers", reply.message_id)
    assert quoted["quote"]["id"] == question.message_id
    assert quoted["quote"]["sender"] == standin.world.bot.first_name
    assert quoted["quote"]["text"].startswith("✅ Повернення R-000001 відхилено")  # as it is now
    assert "unseen" not in quoted
    assert "force_reply" not in shown(state, "managers", question.message_id)  # answered


async def test_a_reply_to_a_message_that_is_not_there_is_refused(page: Page):
    await page.post("/api/chats/customer/start")
    await page.sandbox.standin.wait_for_message(CUSTOMER, timeout=10)
    gone = await page.post(
        "/api/chats/customer/text?lang=en", {"text": "hi", "reply_to": 99}, status=409
    )
    assert gone["error"]["message"] == "That message or button is no longer there."
    await page.post("/api/chats/customer/text", {"text": "hi", "reply_to": "1"}, status=400)
