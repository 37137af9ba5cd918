"""Which deliveries are WooCommerce's own: the signature over the raw body, and the bare ping."""

from __future__ import annotations

from bot.connectors.base import ConnectionInfo, InboundKind, Platform
from bot.connectors.woocommerce import WooCommerceAdapter
from bot.connectors.woocommerce.signature import webhook_signature
from tests.connectors.fakes.woocommerce import load_sample, wc_signature, wp_json

SECRET = "s3cret-of-this-connection"
CONNECTION = ConnectionInfo(
    name="shop",
    platform=Platform.woocommerce,
    api_url="https://shop.example",
    credentials={"key": "ck_x", "secret": "cs_x"},
    signing_secret=SECRET,
    webhook_url="https://vykup.example/connect/woocommerce/abc",
)
BODY = wp_json(load_sample())


def headers(signature: str | None, topic: str = "order.created") -> dict[str, str]:
    found = {"X-WC-Webhook-Topic": topic, "Content-Type": "application/json"}
    if signature is not None:
        found["X-WC-Webhook-Signature"] = signature
    return found


def test_the_signature_is_base64_of_the_binary_hmac_sha256_as_woocommerce_computes_it() -> None:
    # The fake computes it independently, the way class-wc-webhook.php describes it.
    assert webhook_signature(BODY, SECRET) == wc_signature(BODY, SECRET)
    assert len(webhook_signature(BODY, SECRET)) == 44  # 32 bytes in base64


def test_a_delivery_signed_with_the_connections_secret_is_accepted() -> None:
    assert WooCommerceAdapter().verify(CONNECTION, headers(wc_signature(BODY, SECRET)), BODY)


def test_a_header_in_lower_case_is_read_too() -> None:
    lower = {"x-wc-webhook-signature": wc_signature(BODY, SECRET)}
    assert WooCommerceAdapter().verify(CONNECTION, lower, BODY)


def test_a_signature_made_with_another_secret_is_refused() -> None:
    assert not WooCommerceAdapter().verify(CONNECTION, headers(wc_signature(BODY, "other")), BODY)


def test_a_delivery_without_a_signature_is_refused() -> None:
    assert not WooCommerceAdapter().verify(CONNECTION, headers(None), BODY)
    assert not WooCommerceAdapter().verify(CONNECTION, headers(""), BODY)


def test_a_body_changed_by_one_byte_is_refused() -> None:
    signature = wc_signature(BODY, SECRET)
    changed = BODY.replace(b'"total":"29.35"', b'"total":"29.36"')
    assert changed != BODY and len(changed) == len(BODY)
    assert not WooCommerceAdapter().verify(CONNECTION, headers(signature), changed)


def test_a_re_serialised_body_is_refused_because_wordpress_escapes_slashes() -> None:
    import json

    signature = wc_signature(BODY, SECRET)
    pretty = json.dumps(json.loads(BODY), separators=(",", ":")).encode()
    assert not WooCommerceAdapter().verify(CONNECTION, headers(signature), pretty)


def test_garbage_in_the_signature_header_is_refused_not_raised() -> None:
    for junk in ("не base64", "=" * 200, "\x00"):
        assert not WooCommerceAdapter().verify(CONNECTION, headers(junk), BODY)


def test_the_creation_ping_is_accepted_unsigned_and_read_as_a_ping() -> None:
    ping = b"webhook_id=1017"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    adapter = WooCommerceAdapter()
    assert adapter.verify(CONNECTION, form, ping)
    inbound = adapter.parse(CONNECTION, form, ping)
    assert inbound.kind is InboundKind.ping and inbound.order is None


def test_only_the_exact_ping_shape_passes_unsigned() -> None:
    adapter = WooCommerceAdapter()
    for body in (b"webhook_id=", b"webhook_id=12&x=1", b"webhook_id=abc", b'{"webhook_id":1}'):
        assert not adapter.verify(CONNECTION, {}, body), body
    # A ping shape with a (wrong) signature is a forged delivery, not a ping.
    assert not adapter.verify(CONNECTION, headers("forged"), b"webhook_id=5")


def test_the_adapter_makes_no_signing_secret_of_its_own() -> None:
    assert WooCommerceAdapter().signing_secret({"key": "ck_x", "secret": "cs_x"}) is None
