"""``parse``: a status-change webhook names an order to fetch; anything else is ignored or
refused with the field that is wrong."""

from __future__ import annotations

import json

import pytest

from bot.connectors.base import InboundKind, InvalidInbound
from bot.connectors.keycrm import KeyCrmAdapter
from tests.connectors.fakes.keycrm import FakeKeyCrm
from tests.connectors.keycrm.conftest import connection

CONNECTION = connection("http://unused")


async def test_a_status_change_asks_to_fetch_the_order(
    adapter: KeyCrmAdapter, fake: FakeKeyCrm
) -> None:
    order = await fake.create_order(notify=False)
    body = json.dumps(fake.webhook_body(order["id"])).encode()
    inbound = adapter.parse(CONNECTION, {}, body)
    assert inbound.kind is InboundKind.fetch
    assert inbound.remote_id == str(order["id"])
    assert inbound.topic == "order.change_order_status"


def test_other_events_are_ignored(adapter: KeyCrmAdapter) -> None:
    body = b'{"event": "pipelines.card_moved", "context": {"id": 3}}'
    inbound = adapter.parse(CONNECTION, {}, body)
    assert inbound.kind is InboundKind.ignored
    assert inbound.topic == "pipelines.card_moved"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"not json", "body"),
        (b"[1, 2]", "body"),
        (b'{"context": {}}', "event"),
        (b'{"event": "", "context": {}}', "event"),
        (b'{"event": "order.change_order_status", "context": "12"}', "context"),
        (b'{"event": "order.change_order_status", "context": {}}', "context.id"),
        (b'{"event": "order.change_order_status", "context": {"id": "12"}}', "context.id"),
        (b'{"event": "order.change_order_status", "context": {"id": -4}}', "context.id"),
        (b'{"event": "order.change_order_status", "context": {"id": 1.5}}', "context.id"),
        (b'{"event": "order.change_order_status", "context": {"id": true}}', "context.id"),
        (b'{"event": "order.change_order_status", "context": {"id": 1e30}}', "context.id"),
    ],
)
def test_unreadable_bodies_name_their_field(
    adapter: KeyCrmAdapter, body: bytes, field: str
) -> None:
    with pytest.raises(InvalidInbound) as caught:
        adapter.parse(CONNECTION, {}, body)
    assert caught.value.field == field


def test_a_huge_event_name_is_cut_in_the_topic(adapter: KeyCrmAdapter) -> None:
    body = json.dumps({"event": "x" * 100_000, "context": {"id": 1}}).encode()
    inbound = adapter.parse(CONNECTION, {}, body)
    assert inbound.kind is InboundKind.ignored
    assert inbound.topic is not None and len(inbound.topic) == 100
