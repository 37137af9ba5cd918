"""A customer who never opens Telegram: one Viber/SMS message from the real application, the web
page from its link, and the shop hears order.confirmed — against the Telegram stand-in and the
strict TurboSMS fake."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import select

from bot.domain.outreach import OutreachState
from storage.models import OutreachMessage
from tests.channels.fakes.turbosms import DELIVERED, NOT_DELIVERED, FakeTurboSms, serve
from tests.connectors.e2e.conftest import eventually, link_olena
from tests.e2e.conftest import MANAGERS_CHAT, World

PHONE = "380671112233"  # nobody in Telegram has it
SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
async def turbosms() -> AsyncIterator[tuple[FakeTurboSms, str]]:
    fake = FakeTurboSms()
    async with serve(fake) as url:
        yield fake, url


@pytest.fixture
def extra_settings(turbosms: tuple[FakeTurboSms, str]) -> dict[str, object]:
    fake, url = turbosms
    return {
        "public_url": "http://127.0.0.1",  # the test opens the links against the bot's port
        "web_link_secret": SECRET,
        "turbosms_token": fake.token,
        "turbosms_api_url": url,
        "turbosms_status_texts": f"{DELIVERED}=delivered,{NOT_DELIVERED}=not_delivered",
        "sms_sender": fake.sms_sender,
        "viber_sender": fake.viber_sender,
        "shop_name": "Квітка",
        "sms_price": "0.80",
        "viber_price": "0.70",
    }


def _local(world: World, link: str) -> str:
    """The link as the customer's phone would open it: here, the bot's own port."""
    return link.replace("http://127.0.0.1", f"http://127.0.0.1:{world.app.api_port}", 1)


async def _message_to(fake: FakeTurboSms, phone: str) -> None:
    await eventually(lambda: bool(fake.sent_to(phone)), f"a message to {phone}")


async def _recorded(world: World, state: OutreachState) -> None:
    """Until the worker has stored what the provider said (it does so right after the call)."""

    async def stored() -> bool:
        async with world.db.read() as uow:
            messages = await uow.session.scalars(select(OutreachMessage))
            return any(message.state == state for message in messages)

    await eventually_async(stored, f"a message {state}")


async def test_a_customer_outside_telegram_confirms_from_the_page_and_the_shop_hears_it(
    world: World, turbosms: tuple[FakeTurboSms, str]
):
    fake, _ = turbosms
    await world.shop.create_order(
        external_id="K-77", customer={"name": "Ірина", "phone": "+380671112233"}
    )
    world.clock.advance(timedelta(minutes=2))
    await _message_to(fake, PHONE)

    (sent,) = fake.sent_to(PHONE)
    assert sent.channel == "viber" and "K-77" in sent.text
    page_link = sent.block["action"]
    assert re.fullmatch(r"http://127\.0\.0\.1/p/[A-Za-z0-9]{10}", page_link)

    async with aiohttp.ClientSession() as http:
        async with http.get(_local(world, page_link)) as page:
            assert page.status == 200
            html = await page.text()
        assert "K-77" in html and "Не надсилати мені повідомлень" in html
        action, csrf = re.search(
            r'action="([^"]*/confirm[^"]*)"><input type="hidden" name="csrf" value="([^"]+)"',
            html,
        ).groups()  # type: ignore[union-attr]
        confirm_url = f"http://127.0.0.1:{world.app.api_port}{action.replace('&amp;', '&')}"
        async with http.post(confirm_url, data={"csrf": csrf}) as answer:
            assert answer.status == 200
            assert "K-77" in await answer.text()

    event = await world.hooks.wait_for("order.confirmed")
    assert event["external_id"] == "K-77"
    assert (await world.shop.get_order("K-77"))["status"] == "confirmed"

    # Delivered: recorded; and the answered order is never escalated.
    await _recorded(world, OutreachState.sent)
    assert world.app.worker is not None
    assert world.app.worker.stats.outreach_calls["sent"] == 1  # /metrics: vykup_outreach_messages
    fake.deliver(sent.message_id)
    world.clock.advance(timedelta(hours=2))
    await _recorded(world, OutreachState.delivered)
    assert [m.visible for m in world.telegram.bot_messages(MANAGERS_CHAT)] == []
    assert len(fake.sent_to(PHONE)) == 1


async def eventually_async(
    condition: Callable[[], Awaitable[bool]], what: str, timeout: float = 5.0
) -> None:
    async with asyncio.timeout(timeout):
        while not await condition():  # noqa: ASYNC110 - the database, written by the worker
            await asyncio.sleep(0.01)
    assert await condition(), what


async def test_an_undelivered_message_makes_the_managers_call_and_says_what_was_tried(
    world: World, turbosms: tuple[FakeTurboSms, str]
):
    fake, _ = turbosms
    await world.shop.create_order(
        external_id="K-78", customer={"name": "Ірина", "phone": "+380671112233"}
    )
    world.clock.advance(timedelta(minutes=2))
    await _message_to(fake, PHONE)
    await _recorded(world, OutreachState.sent)
    (sent,) = fake.sent_to(PHONE)
    fake.fail(sent.message_id)
    world.clock.advance(timedelta(minutes=5))

    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Зателефонуйте")
    assert "K-78" in alert.visible
    assert "Viber → SMS" in alert.visible and "не доставлено (Undelivered)" in alert.visible


async def test_stop_in_the_bot_holds_outreach_after_she_blocks_it_until_an_admin_lifts_it(
    world: World, turbosms: tuple[FakeTurboSms, str]
):
    fake, _ = turbosms
    await world.shop.create_order(external_id="A-1")
    await link_olena(world)
    await world.telegram.wait_for_message(world.olena.id, "A-1")
    world.olena.send_text("СТОП")
    answer = await world.telegram.wait_for_message(world.olena.id, "Viber")
    assert "більше не надсилатимемо" in answer.visible

    # She blocks the bot; her next order would go by Viber/SMS, but she said stop.
    world.olena.block_bot()
    await world.shop.create_order(external_id="A-2")
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "A-2")
    assert "Зателефонуйте" in alert.visible
    assert "Клієнт просив не надсилати йому Viber і SMS" in alert.visible
    world.clock.advance(timedelta(minutes=2))
    await world.telegram.wait_for_message(MANAGERS_CHAT, "A-1")  # A-1's call: no text either
    assert fake.sent_to("380501234567") == []

    world.manager.send_command("/start")
    await world.telegram.wait_for_message(world.manager.id)
    world.intern.send_command("/sms", "A-2", chat_id=MANAGERS_CHAT)
    assert "немає прав" in (await world.telegram.wait_for_message(MANAGERS_CHAT)).visible
    world.manager.send_command("/sms", "A-2")
    lifted = await world.telegram.wait_for_message(world.manager.id, "знову може")
    assert "Viber" in lifted.visible
    await world.shop.create_order(external_id="A-3")
    world.clock.advance(timedelta(minutes=2))
    await _message_to(fake, "380501234567")
    world.manager.send_command("/nosms", "A-3")
    stopped = await world.telegram.wait_for_message(world.manager.id, "не отримує")
    assert "/sms" in stopped.visible
