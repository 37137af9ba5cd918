"""X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body with the app's client secret."""

from __future__ import annotations

import base64
import hashlib
import hmac

from bot.connectors.base import ConnectionInfo
from bot.connectors.shopify import ShopifyAdapter

BODY = b'{"id":450789469,"name":"#1001"}'


def shopify_signature(body: bytes, secret: str) -> str:
    """Computed here independently of the connector, as Shopify documents it."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def test_a_delivery_signed_with_the_client_secret_is_verified(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    headers = {"X-Shopify-Hmac-Sha256": shopify_signature(BODY, connection.signing_secret)}
    assert adapter.verify(connection, headers, BODY)


def test_header_names_are_matched_in_any_case(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    headers = {"x-shopify-hmac-sha256": shopify_signature(BODY, connection.signing_secret)}
    assert adapter.verify(connection, headers, BODY)


def test_a_signature_made_with_another_secret_is_refused(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    headers = {"X-Shopify-Hmac-Sha256": shopify_signature(BODY, "someone-else")}
    assert not adapter.verify(connection, headers, BODY)


def test_a_missing_or_empty_signature_is_refused(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    assert not adapter.verify(connection, {}, BODY)
    assert not adapter.verify(connection, {"X-Shopify-Hmac-Sha256": ""}, BODY)


def test_a_body_changed_by_one_byte_is_refused(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    headers = {"X-Shopify-Hmac-Sha256": shopify_signature(BODY, connection.signing_secret)}
    changed = BODY.replace(b"1001", b"1002")
    assert len(changed) == len(BODY)
    assert not adapter.verify(connection, headers, changed)
    assert not adapter.verify(connection, headers, BODY + b" ")


def test_an_empty_body_is_refused_even_when_signed(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    headers = {"X-Shopify-Hmac-Sha256": shopify_signature(b"", connection.signing_secret)}
    assert not adapter.verify(connection, headers, b"")


def test_a_hex_signature_or_garbage_is_refused(
    adapter: ShopifyAdapter, connection: ConnectionInfo
) -> None:
    hex_digest = hmac.new(connection.signing_secret.encode(), BODY, hashlib.sha256).hexdigest()
    for value in (hex_digest, "sha256=" + hex_digest, "ø" * 44):
        assert not adapter.verify(connection, {"X-Shopify-Hmac-Sha256": value}, BODY)


def test_the_signing_secret_is_the_client_secret(adapter: ShopifyAdapter) -> None:
    assert adapter.signing_secret({"token": "t", "client_secret": "s"}) == "s"
    assert adapter.credential_names == ("token", "client_secret")
