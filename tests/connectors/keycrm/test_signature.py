"""KeyCRM signs nothing: the address's key is the proof (checked before ``verify``), and a body
that is not KeyCRM's shape is refused by ``parse`` naming the field, never taken for an order."""

from __future__ import annotations

import json

import pytest

from bot.connectors.base import InboundKind, InvalidInbound
from bot.connectors.keycrm import KeyCrmAdapter
from tests.connectors.fakes.keycrm import FakeKeyCrm
from tests.connectors.keycrm.conftest import connection


async def test_the_fakes_webhook_is_taken_and_names_the_order(
    adapter: KeyCrmAdapter, fake: FakeKeyCrm
) -> None:
    order = await fake.create_order(notify=False)
    body = json.dumps(fake.webhook_body(order["id"]), ensure_ascii=False).encode()
    info = connection("http://unused")
    assert adapter.verify(info, {}, body)
    assert adapter.signing_secret({"api_key": "k"}) is None
    inbound = adapter.parse(info, {}, body)
    assert (inbound.kind, inbound.remote_id) == (InboundKind.fetch, str(order["id"]))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"", "body"),
        (b"not json", "body"),
        (b"[]", "body"),
        (b'"order.change_order_status"', "body"),
        (b'{"event": "order.change_order_status"}', "context"),
        (b'{"context": {"id": 1}}', "event"),
        (b'{"event": 5, "context": {"id": 1}}', "event"),
        (b'{"event": "order.change_order_status", "context": [1]}', "context"),
        (b'{"event": "order.change_order_status", "context": {"id": "abc"}}', "context.id"),
        (b"\xff\xfe{}", "body"),
    ],
)
def test_bodies_not_of_keycrms_shape_are_refused_naming_the_field(
    adapter: KeyCrmAdapter, body: bytes, field: str
) -> None:
    with pytest.raises(InvalidInbound) as refused:
        adapter.parse(connection("http://unused"), {}, body)
    assert refused.value.field == field
