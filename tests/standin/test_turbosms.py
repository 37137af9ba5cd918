"""The TurboSMS stand-in as the sandbox runs it: every message reported at once with its own
status text, stamped with the sandbox's clock, and the page told (the API itself is tested
through the gateway, tests/channels)."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp

from bot.channels.base import ChannelPreference, DeliveryKind, OutboundMessage
from bot.channels.turbosms import TurboSmsGateway
from bot.standin.turbosms import DELIVERED, TurboSmsStandin, serve

MOVED = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
MESSAGE = OutboundMessage(
    recipient="+380661234567",
    preference=ChannelPreference.viber_then_sms,
    sms_text="Vykup: confirm order S-1: http://127.0.0.1:8090/p/abc",
    viber_text="Vykup: your order S-1 awaits your confirmation.",
    viber_button_caption="Confirm the order",
    viber_button_url="http://127.0.0.1:8090/p/abc",
)


async def test_a_message_is_reported_delivered_at_once_on_the_given_clock() -> None:
    changes: list[int] = []
    sms = TurboSmsStandin(
        report_at_once=DELIVERED, clock=lambda: MOVED, on_change=lambda: changes.append(1)
    )
    async with serve(sms) as api_url, aiohttp.ClientSession() as http:
        gateway = TurboSmsGateway(
            sms.token,
            sms.sms_sender,
            sms.viber_sender,
            api_url=api_url,
            status_texts={DELIVERED: DeliveryKind.delivered},
        )
        result = await gateway.send(http, MESSAGE)
        [state] = await gateway.statuses(http, result.ids)
    [sent] = sms.sent_to("380661234567")
    assert sent.button == ("Confirm the order", "http://127.0.0.1:8090/p/abc")
    assert (sent.at, sent.sent) == (MOVED, "2027-03-01 09:30:00")
    assert (state.state, state.raw) == (DeliveryKind.delivered, DELIVERED)
    assert changes == [1]  # once per send that took a message


async def test_without_report_at_once_a_message_waits_for_its_report() -> None:
    sms = TurboSmsStandin()
    async with serve(sms) as api_url, aiohttp.ClientSession() as http:
        gateway = TurboSmsGateway(sms.token, sms.sms_sender, sms.viber_sender, api_url=api_url)
        result = await gateway.send(http, MESSAGE)
        [state] = await gateway.statuses(http, result.ids)
    assert state.state is DeliveryKind.queued
