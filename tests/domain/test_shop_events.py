from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from bot.domain.returns import ReturnStatus
from bot.domain.shipments import ShipmentStatus
from bot.domain.shop_events import (
    ShopEvent,
    event_id,
    return_event,
    shipment_event,
    with_identity,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "bot" / "domain" / "shop_events.py"
# The list under "Events back to the shop": the bullets after its opening line.
LIST_OPENING = "The events (`ShopEvent` in `bot/domain/shop_events.py`"
NAMED = re.compile(r"`((?:order|customer|shipment|return)\.[a-z_]+)`")


def readme_list() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n- ", readme.index(LIST_OPENING))
    end = readme.index("\n\n", start)
    return NAMED.findall(readme[start:end])


def test_every_event_is_in_the_readme_list() -> None:
    listed = readme_list()
    missing = [event.value for event in ShopEvent if event.value not in listed]
    assert missing == [], f"add these to the README's list of events: {missing}"


def test_the_readme_lists_no_event_that_is_not_sent() -> None:
    listed = readme_list()
    unknown = sorted(set(listed) - {event.value for event in ShopEvent})
    assert unknown == []
    assert len(listed) == len(set(listed)), "an event listed twice"


def test_every_event_says_when_it_is_sent() -> None:
    """Each member has a comment of its own on the line above it."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    enum = next(
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name == ShopEvent.__name__
    )
    members = [node for node in enum.body if isinstance(node, ast.Assign)]
    assert len(members) == len(ShopEvent)
    for member in members:
        above = lines[member.lineno - 2].strip()
        assert above.startswith("# ") and len(above) > len("# "), ast.unparse(member.targets[0])


@pytest.mark.parametrize("event", list(ShopEvent))
def test_a_name_is_a_kind_and_a_dotted_what(event: ShopEvent) -> None:
    kind, _, what = event.value.partition(".")
    assert kind in {"order", "customer", "shipment", "return"}
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*", what)
    assert event.name == f"{kind}_{what}"


def test_an_event_is_its_plain_name_on_the_wire() -> None:
    body = {"event": str(ShopEvent.order_confirmed)}
    assert json.dumps(body) == '{"event": "order.confirmed"}'
    assert json.dumps({"event": ShopEvent.customer_erased}) == '{"event": "customer.erased"}'
    assert ShopEvent.order_confirmed == "order.confirmed"
    assert ShopEvent("return.info_provided") is ShopEvent.return_info_provided


@pytest.mark.parametrize("status", list(ShipmentStatus))
def test_every_shipment_status_is_told_as_shipment_dot_status(status: ShipmentStatus) -> None:
    assert shipment_event(status).value == f"shipment.{status.value}"


@pytest.mark.parametrize("status", list(ReturnStatus))
def test_every_return_status_is_told_as_return_dot_status(status: ReturnStatus) -> None:
    assert return_event(status).value == f"return.{status.value}"


def test_events_that_name_no_status_are_the_customers_answers_and_the_others() -> None:
    by_status = {shipment_event(status) for status in ShipmentStatus}
    by_status |= {return_event(status) for status in ReturnStatus}
    shipment_or_return = {
        event for event in ShopEvent if event.value.startswith(("shipment.", "return."))
    }
    assert shipment_or_return - by_status == {
        ShopEvent.shipment_cannot_pick_up,
        ShopEvent.shipment_storage_extension_requested,
        ShopEvent.shipment_storage_extended,
        ShopEvent.return_info_provided,
    }


def test_event_ids_hold_no_dot() -> None:
    assert event_id(12) == "evt_12"
    assert "." not in event_id(10**12)


def test_payload_leads_with_its_event_id_and_type() -> None:
    body = {"event": "order.confirmed", "external_id": "A-1"}
    assert list(with_identity(body, "evt_7").items()) == [
        ("id", "evt_7"),
        ("type", "order.confirmed"),
        ("event", "order.confirmed"),
        ("external_id", "A-1"),
    ]
