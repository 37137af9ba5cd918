"""Standard Webhooks signatures: the specification's test vectors, the receiver's rules, secrets."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from bot.delivery.signing import (
    InvalidSecret,
    Signer,
    new_secret,
    signature,
    signing_key,
    verify,
)

# Test vectors of the reference libraries (standard-webhooks/standard-webhooks: libraries/go
# webhook_test.go TestWebhookSign, the same in the JavaScript, Ruby, PHP and C# tests; and the Rust
# library's test_sign), as compiled in shared/refdata/webhooks/.
VECTORS = [
    (
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        b'{"test": 2432232314}',
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    ),
    (
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
        1649367553,
        b'{"email":"test@example.com","username":"test_user"}',
        "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
    ),
]
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(("secret", "msg_id", "timestamp", "body", "expected"), VECTORS)
def test_signature_matches_the_reference_vectors(
    secret: str, msg_id: str, timestamp: int, body: bytes, expected: str
) -> None:
    key = signing_key(secret)
    assert key is not None
    assert signature(key, msg_id, timestamp, body) == expected


def test_headers_verify_with_the_reference_library() -> None:
    secret = new_secret()
    body = b'{"id":"evt_3","type":"order.confirmed"}'
    headers = Signer(secret).headers("evt_3", datetime.now(UTC), body)
    assert Webhook(secret).verify(body, headers) == {"id": "evt_3", "type": "order.confirmed"}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body + b" ", headers)


def test_a_captured_delivery_stops_verifying_after_five_minutes() -> None:
    secret = new_secret()
    body = b"{}"
    headers = Signer(secret).headers("evt_1", NOW, body)
    assert verify(secret, headers, body, NOW + timedelta(minutes=5))
    assert not verify(secret, headers, body, NOW + timedelta(minutes=5, seconds=1))
    assert not verify(secret, headers, body, NOW - timedelta(minutes=5, seconds=1))


def test_the_id_is_signed_with_the_body() -> None:
    secret = new_secret()
    headers = Signer(secret).headers("evt_1", NOW, b"{}")
    assert not verify(secret, {**headers, "webhook-id": "evt_2"}, b"{}", NOW)
    assert not verify(secret, {**headers, "webhook-timestamp": "1"}, b"{}", NOW)
    assert not verify(new_secret(), headers, b"{}", NOW)


def test_any_v1_entry_may_match_and_other_versions_are_ignored() -> None:
    secret = new_secret()
    headers = Signer(secret).headers("evt_1", NOW, b"{}")
    good = headers["webhook-signature"]
    rotated = {**headers, "webhook-signature": f"v1,AAAA v2,{good[3:]} {good}"}
    assert verify(secret, rotated, b"{}", NOW)
    assert not verify(secret, {**headers, "webhook-signature": f"v2,{good[3:]}"}, b"{}", NOW)


def test_missing_headers_never_verify() -> None:
    secret = new_secret()
    headers = Signer(secret).headers("evt_1", NOW, b"{}")
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        assert not verify(secret, {k: v for k, v in headers.items() if k != name}, b"{}", NOW)


def test_an_older_plain_secret_signs_only_the_deprecated_header() -> None:
    headers = Signer("plain-secret").headers("evt_1", NOW, b"{}")
    assert "webhook-signature" not in headers
    assert headers["X-Vykup-Signature"].startswith("sha256=")
    assert signing_key("plain-secret") is None


@pytest.mark.parametrize(
    "secret",
    [
        "whsec_not base64!",
        "whsec_" + base64.b64encode(b"x" * 23).decode(),
        "whsec_" + base64.b64encode(b"x" * 65).decode(),
        "whsec_",
    ],
)
def test_a_malformed_whsec_secret_is_refused(secret: str) -> None:
    with pytest.raises(InvalidSecret):
        signing_key(secret)


def test_new_secrets_are_random_and_well_formed() -> None:
    first, second = new_secret(), new_secret()
    assert first != second
    assert signing_key(first) is not None and len(signing_key(first) or b"") == 32
