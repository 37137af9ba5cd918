"""KeyCRM signs nothing: ``verify`` accepts a body of KeyCRM's shape only (the URL's key, checked
before, is the secret)."""

from __future__ import annotations

import json

import pytest

from bot.connectors.keycrm import KeyCrmAdapter
from tests.connectors.fakes.keycrm import FakeKeyCrm
from tests.connectors.keycrm.conftest import connection


async def _body(fake: FakeKeyCrm) -> bytes:
    order = await fake.create_order(notify=False)
    return json.dumps(fake.webhook_body(order["id"]), ensure_ascii=False).encode()


async def test_the_fakes_webhook_is_verified(adapter: KeyCrmAdapter, fake: FakeKeyCrm) -> None:
    body = await _body(fake)
    assert adapter.verify(connection("http://unused"), {}, body)
    assert adapter.signing_secret({"api_key": "k"}) is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'"order.change_order_status"',
        b'{"event": "order.change_order_status"}',  # no context
        b'{"context": {"id": 1}}',  # no event
        b'{"event": 5, "context": {"id": 1}}',
        b'{"event": "order.change_order_status", "context": [1]}',
        b"\xff\xfe{}",
    ],
)
def test_bodies_not_of_keycrms_shape_are_refused(adapter: KeyCrmAdapter, body: bytes) -> None:
    assert not adapter.verify(connection("http://unused"), {}, body)


async def test_a_body_changed_by_one_byte_is_refused(
    adapter: KeyCrmAdapter, fake: FakeKeyCrm
) -> None:
    body = await _body(fake)
    broken = body[:-1] + b"]"  # the closing brace replaced: no longer JSON
    assert not adapter.verify(connection("http://unused"), {}, broken)
