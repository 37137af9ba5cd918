"""Signing and encoding of shop webhooks, and the retry delays."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.delivery.outcomes import TELEGRAM_BACKOFF, WEBHOOK_BACKOFF, Backoff
from bot.delivery.signing import Signer
from bot.delivery.webhooks import (
    SIGNATURE_HEADER,
    WebhookRejected,
    encode_body,
    parse_retry_after,
    post_webhook,
    safe_target,
    sign,
    verify,
)
from tests.delivery.conftest import SECRET
from tests.delivery.fakes import FakeShop


def test_sign_matches_rfc_4231_test_case_2() -> None:
    digest = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert sign(b"what do ya want for nothing?", "Jefe") == f"sha256={digest}"


def test_sign_is_hmac_sha256_of_exactly_the_bytes() -> None:
    body = encode_body({"event": "order.confirmed", "order": {"id": "A-1"}})
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert sign(body, "s3cret") == "sha256=" + expected
    assert sign(body + b" ", "s3cret") != sign(body, "s3cret")


def test_body_is_compact_utf8_json() -> None:
    body = encode_body({"status": "підтверджено", "items": [1, 2], "note": None})
    assert body == '{"status":"підтверджено","items":[1,2],"note":null}'.encode()


def test_verify_accepts_only_the_right_signature() -> None:
    body = b'{"a":1}'
    good = sign(body, "k")
    assert verify(body, "k", good)
    assert not verify(b'{"a":2}', "k", good)
    assert not verify(body, "other", good)
    assert not verify(body, "k", None)
    assert not verify(body, "k", good.removeprefix("sha256="))


def test_logs_see_no_query_string_or_credentials() -> None:
    assert safe_target("https://user:pw@shop.example/hook?token=abc") == "https://shop.example/hook"


def test_retry_delays_grow_and_are_capped() -> None:
    assert [WEBHOOK_BACKOFF.delay(n).total_seconds() for n in range(4)] == [5, 10, 20, 40]
    assert WEBHOOK_BACKOFF.delay(20) == timedelta(hours=1)
    assert [TELEGRAM_BACKOFF.delay(n).total_seconds() for n in range(3)] == [1, 2, 4]
    assert TELEGRAM_BACKOFF.delay(10_000) == timedelta(minutes=5)
    assert Backoff(base=0.5, cap=2).delay(-1) == timedelta(seconds=0.5)


async def test_post_webhook_sends_signed_json(shop: FakeShop, base_url: str) -> None:
    sent_at = datetime.now(UTC)
    async with aiohttp.ClientSession() as http:
        status = await post_webhook(
            http,
            f"{base_url}/shop/hook",
            {"n": "№1"},
            signer=Signer(SECRET),
            msg_id="evt_7",
            sent_at=sent_at,
            delivery_id=7,
        )
    assert status == 200
    (hook,) = shop.hooks
    assert hook.signed  # by the standardwebhooks library and by the deprecated header
    assert hook.body == '{"n":"№1"}'.encode()
    assert hook.headers["Content-Type"] == "application/json"
    assert hook.headers["webhook-id"] == "evt_7"
    assert hook.headers["webhook-timestamp"] == str(int(sent_at.timestamp()))
    assert hook.headers["webhook-signature"].startswith("v1,")
    assert hook.headers["X-Vykup-Delivery"] == "7"
    assert hook.headers[SIGNATURE_HEADER] == sign(hook.body, SECRET)


async def post_empty(url: str, signer: Signer) -> int:
    async with aiohttp.ClientSession() as http:
        return await post_webhook(
            http, url, {}, signer=signer, msg_id="evt_1", sent_at=datetime.now(UTC)
        )


async def test_without_a_secret_deliveries_carry_no_signature(
    shop: FakeShop, base_url: str
) -> None:
    with pytest.raises(WebhookRejected) as rejected:
        await post_empty(f"{base_url}/shop/hook", Signer(None))
    assert rejected.value.status == 401  # a shop that checks signatures refuses it
    (hook,) = shop.hooks
    assert hook.headers["webhook-id"] == "evt_1"
    assert "webhook-signature" not in hook.headers
    assert SIGNATURE_HEADER not in hook.headers
    assert not hook.signed


async def test_post_webhook_raises_on_non_2xx(shop: FakeShop, base_url: str) -> None:
    shop.statuses.append(503)
    with pytest.raises(WebhookRejected) as rejected:
        await post_empty(f"{base_url}/shop/hook", Signer(SECRET))
    assert rejected.value.status == 503


def test_webhook_backoff_adds_up_to_half_again_by_the_draw() -> None:
    assert WEBHOOK_BACKOFF.delay(0, 0.0) == timedelta(seconds=5)
    assert WEBHOOK_BACKOFF.delay(0, 0.5) == timedelta(seconds=6.25)
    assert WEBHOOK_BACKOFF.delay(20, 0.999) < timedelta(hours=1.5)
    assert TELEGRAM_BACKOFF.delay(0, 0.9) == timedelta(seconds=1)  # Telegram says when itself


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", timedelta(seconds=120)),
        (" 7 ", timedelta(seconds=7)),
        ("Mon, 07 Dec 2026 10:02:00 GMT", timedelta(minutes=2)),
        ("Mon, 07 Dec 2026 09:00:00 GMT", None),  # in the past
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_retry_after_is_seconds_or_an_http_date(
    header: str | None, expected: timedelta | None
) -> None:
    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert parse_retry_after(header, now) == expected
