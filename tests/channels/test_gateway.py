"""The TurboSMS gateway against the strict fake: send by each channel, statuses, balance, errors."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import aiohttp
import pytest

from bot.channels.base import (
    Channel,
    ChannelPreference,
    DeliveryKind,
    GatewayRejected,
    OutboundMessage,
    Refusal,
)
from bot.channels.turbosms import TurboSmsGateway
from bot.channels.turbosms.client import call
from tests.channels.fakes.turbosms import DELIVERED, NOT_DELIVERED, FakeTurboSms

PHONE = "380501234567"
HYBRID = OutboundMessage(
    recipient="+" + PHONE,
    preference=ChannelPreference.viber_then_sms,
    sms_text="Замовлення 1042: підтвердіть https://v.example/c/tok",  # 51 chars: one UCS-2 part
    viber_text="Замовлення 1042 у «Квіти Полтави». Підтвердіть або скасуйте.",
    viber_button_caption="Підтвердити",
    viber_button_url="https://v.example/c/tok",
    ttl=timedelta(minutes=10),
)
SMS = replace(HYBRID, preference=ChannelPreference.sms, viber_text=None)
VIBER = replace(HYBRID, preference=ChannelPreference.viber, sms_text=None)


async def test_hybrid_goes_by_viber_under_one_id(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    result = await gateway.send(http, HYBRID)
    assert result.accepted == {Channel.viber, Channel.sms}
    [message_id] = result.ids
    sent = fake.messages[message_id]
    assert (sent.channel, sent.hybrid, sent.phone) == ("viber", True, PHONE)
    assert sent.block["caption"] == "Підтвердити" and sent.block["ttl"] == 600
    assert fake.balance == Decimal("100.00") - fake.viber_price
    assert fake.calls[-1].auth == "bearer" and fake.ignored_fields == []


async def test_hybrid_falls_back_to_sms_for_a_phone_without_viber(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    fake.without_viber(PHONE)
    result = await gateway.send(http, HYBRID)
    sent = fake.messages[result.ids[0]]
    assert (sent.channel, sent.text, sent.parts) == ("sms", HYBRID.sms_text, 1)
    assert fake.balance == Decimal("100.00") - fake.sms_price


async def test_sms_only_is_billed_per_part(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    result = await gateway.send(http, replace(SMS, sms_text="ї" * 71))  # two UCS-2 parts
    assert result.accepted == {Channel.sms}
    assert fake.messages[result.ids[0]].parts == 2
    assert fake.balance == Decimal("100.00") - 2 * fake.sms_price


async def test_viber_only(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    result = await gateway.send(http, VIBER)
    assert result.accepted == {Channel.viber}
    assert fake.messages[result.ids[0]].channel == "viber"
    assert "sms" not in fake.calls[-1].body


async def test_a_repeated_send_with_the_same_key_is_executed_once(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    keyed = replace(SMS, idempotency_key="outbox-41")
    first = await gateway.send(http, keyed)
    again = await gateway.send(http, keyed)
    assert first == again and len(fake.messages) == 1
    assert fake.balance == Decimal("100.00") - fake.sms_price


async def test_statuses_follow_the_message(
    fake: FakeTurboSms, api_url: str, http: aiohttp.ClientSession
) -> None:
    gateway = TurboSmsGateway(
        fake.token,
        fake.sms_sender,
        fake.viber_sender,
        api_url=api_url,
        status_texts={DELIVERED: DeliveryKind.delivered, NOT_DELIVERED: DeliveryKind.not_delivered},
    )
    one = (await gateway.send(http, SMS)).ids[0]
    two = (await gateway.send(http, VIBER)).ids[0]
    three = (await gateway.send(http, HYBRID)).ids[0]
    states = await gateway.statuses(http, [one, two, three, "no-such-id"])
    assert [s.state for s in states] == [DeliveryKind.queued] * 3 + [DeliveryKind.unknown]
    fake.deliver(one)
    fake.fail(two)
    fake.click(three)
    states = await gateway.statuses(http, [one, two, three])
    assert [(s.state, s.channel) for s in states] == [
        (DeliveryKind.delivered, Channel.sms),
        (DeliveryKind.not_delivered, Channel.viber),
        (DeliveryKind.read, Channel.viber),
    ]
    assert json.loads(json.dumps(fake.calls[-1].body)) == {"messages": [one, two, three]}
    assert await gateway.statuses(http, []) == []


async def test_statuses_without_learned_texts_keep_the_raw_text(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    message_id = (await gateway.send(http, SMS)).ids[0]
    fake.mark_sent(message_id)
    [state] = await gateway.statuses(http, [message_id])
    assert state.state is DeliveryKind.sent
    fake.deliver(message_id)
    [state] = await gateway.statuses(http, [message_id])
    assert (state.state, state.raw) == (DeliveryKind.unknown, DELIVERED)


async def test_balance(gateway: TurboSmsGateway, http: aiohttp.ClientSession) -> None:
    assert await gateway.balance(http) == Decimal("100.00")
    await gateway.send(http, SMS)
    assert await gateway.balance(http) == Decimal("99.20")


async def test_a_wrong_or_missing_token_is_credentials_refused(
    fake: FakeTurboSms, api_url: str, http: aiohttp.ClientSession
) -> None:
    wrong = TurboSmsGateway("not-the-token", fake.sms_sender, fake.viber_sender, api_url=api_url)
    with pytest.raises(GatewayRejected) as caught:
        await wrong.send(http, SMS)
    assert (caught.value.code, caught.value.message) == (105, "REQUIRED_AUTH")
    assert caught.value.credentials_refused and "not-the-token" not in str(caught.value)
    empty = TurboSmsGateway("", fake.sms_sender, fake.viber_sender, api_url=api_url)
    with pytest.raises(GatewayRejected) as caught:
        await empty.balance(http)
    assert caught.value.code == 103 and caught.value.credentials_refused
    assert fake.messages == {}


async def test_a_blocked_account_is_credentials_refused(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    fake.block_user()
    with pytest.raises(GatewayRejected) as caught:
        await gateway.balance(http)
    assert caught.value.code == 106 and caught.value.credentials_refused


async def test_http_500_is_worth_retrying_and_the_next_call_works(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    fake.fail_next(500)
    with pytest.raises(GatewayRejected) as caught:
        await gateway.send(http, SMS)
    assert caught.value.status == 500 and caught.value.worth_retrying
    assert fake.messages == {}
    assert (await gateway.send(http, SMS)).ids


async def test_429_keeps_retry_after(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    fake.fail_next(429, retry_after="30")
    with pytest.raises(GatewayRejected) as caught:
        await gateway.balance(http)
    assert caught.value.worth_retrying and caught.value.retry_after == timedelta(seconds=30)


@pytest.mark.parametrize("code", [503, 504, 999])
async def test_the_providers_own_failures_are_worth_retrying(
    code: int, gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    fake.answer_next(code)
    with pytest.raises(GatewayRejected) as caught:
        await gateway.send(http, SMS)
    assert caught.value.code == code and caught.value.worth_retrying


async def test_no_answer_at_all_is_status_0(http: aiohttp.ClientSession) -> None:
    with socket.socket() as free:  # a port just freed: nothing listens on it
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    closed = TurboSmsGateway("t", "s", "v", api_url=f"http://127.0.0.1:{port}")
    with pytest.raises(GatewayRejected) as caught:
        await closed.balance(http)
    assert caught.value.status == 0 and caught.value.worth_retrying


async def test_a_stop_listed_phone_is_refused_for_the_recipient(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    fake.stop_list(PHONE)
    with pytest.raises(GatewayRejected) as caught:
        await gateway.send(http, SMS)
    assert caught.value.code == 404 and caught.value.recipient_refused
    assert not caught.value.worth_retrying and fake.balance == Decimal("100.00")


async def test_a_country_not_enabled_is_refused_for_the_recipient(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession
) -> None:
    with pytest.raises(GatewayRejected) as caught:
        await gateway.send(http, replace(SMS, recipient="+48501234567"))
    assert caught.value.code == 406 and caught.value.recipient_refused


async def test_no_credit_left(
    gateway: TurboSmsGateway, http: aiohttp.ClientSession, fake: FakeTurboSms
) -> None:
    fake.balance = Decimal("0.50")
    with pytest.raises(GatewayRejected) as caught:
        await gateway.send(http, SMS)
    assert caught.value.code == 203 and caught.value.refusal is Refusal.funds


async def test_a_sender_the_account_does_not_have(
    fake: FakeTurboSms, api_url: str, http: aiohttp.ClientSession
) -> None:
    gateway = TurboSmsGateway(fake.token, "Other", fake.viber_sender, api_url=api_url)
    with pytest.raises(GatewayRejected) as caught:
        await gateway.send(http, SMS)
    assert caught.value.code == 400 and caught.value.refusal is Refusal.sender


@pytest.mark.parametrize(
    "message",
    [
        replace(VIBER, viber_button_caption="к" * 31),
        replace(SMS, sms_text=""),
        replace(SMS, recipient="0501234567"),
        replace(VIBER, ttl=timedelta(0)),
    ],
)
async def test_bad_input_is_refused_before_it_is_sent(
    message: OutboundMessage,
    gateway: TurboSmsGateway,
    http: aiohttp.ClientSession,
    fake: FakeTurboSms,
) -> None:
    with pytest.raises(GatewayRejected) as caught:
        await gateway.send(http, message)
    assert caught.value.bad_request and caught.value.status == 0
    assert fake.calls == []


@pytest.mark.parametrize(
    ("viber", "code"),
    [
        ({"sender": "Vykup Shop", "text": "x", "caption": "к" * 31, "action": "https://x"}, 408),
        ({"sender": "Vykup Shop", "text": "x", "ttl": "600"}, 306),
        ({"sender": "Vykup Shop", "text": "x", "caption": "Go"}, 206),
        ({"sender": "Vykup Shop", "text": "x", "action": "https://x"}, 205),
        ({"sender": "Vykup Shop"}, 201),
        ({"text": "x"}, 200),
    ],
)
async def test_the_fake_refuses_what_the_api_refuses(
    viber: dict[str, object],
    code: int,
    gateway: TurboSmsGateway,
    http: aiohttp.ClientSession,
    fake: FakeTurboSms,
) -> None:
    # Bodies the gateway never builds, sent raw: the fake is as strict as the facts.
    with pytest.raises(GatewayRejected) as caught:
        await call(
            http,
            gateway.api_url,
            fake.token,
            "message/send.json",
            {"recipients": [PHONE], "viber": viber},
        )
    assert caught.value.code == code and caught.value.bad_request


async def test_other_ways_of_passing_the_token(
    fake: FakeTurboSms, api_url: str, http: aiohttp.ClientSession
) -> None:
    async with http.post(f"{api_url}/user/balance.json", data={"token": fake.token}) as response:
        assert (await response.json())["response_code"] == 0
    async with http.get(f"{api_url}/user/ping.json", params={"token": fake.token}) as response:
        assert (await response.json())["response_status"] == "PONG"
    headers = {"Authorization": f"Basic {fake.token}"}
    async with http.post(f"{api_url}/message/status.json", json={}, headers=headers) as response:
        assert (await response.json())["response_code"] == 104
    assert [c.auth for c in fake.calls] == ["post", "get", "basic"]


def test_the_gateway_repr_hides_the_token(fake: FakeTurboSms) -> None:
    assert fake.token not in repr(TurboSmsGateway(fake.token, "s", "v"))
