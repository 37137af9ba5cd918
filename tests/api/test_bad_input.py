"""Bad input gets a clear 4xx naming what is wrong, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from storage.uow import Database
from tests.api.conftest import AUTH, NOTHING, create, order_payload, row_counts

Payload = dict[str, Any]


def _set(path: str, value: Any) -> Callable[[Payload], None]:
    """Change one value at a dotted path such as ``items.0.quantity``."""

    def change(payload: Payload) -> None:
        *parents, last = path.split(".")
        target: Any = payload
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _drop(path: str) -> Callable[[Payload], None]:
    def change(payload: Payload) -> None:
        *parents, last = path.split(".")
        target: Any = payload
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return change


BAD_FIELDS: list[tuple[str, Callable[[Payload], None], str]] = [
    ("missing external_id", _drop("external_id"), "external_id"),
    ("empty external_id", _set("external_id", "   "), "external_id"),
    ("long external_id", _set("external_id", "A" * 65), "external_id"),
    ("numeric external_id", _set("external_id", 1001), "external_id"),
    ("missing customer", _drop("customer"), "customer"),
    ("invalid phone", _set("customer.phone", "12345"), "customer.phone"),
    ("letters for phone", _set("customer.phone", "call me"), "customer.phone"),
    ("missing phone", _drop("customer.phone"), "customer.phone"),
    ("blank name", _set("customer.name", "  "), "customer.name"),
    ("long name", _set("customer.name", "О" * 201), "customer.name"),
    ("NUL in name", _set("customer.name", "Олена\x00"), "customer.name"),
    ("zero-width name", _set("customer.name", "\u200b\u200b"), "customer.name"),
    ("BOM and bidi name", _set("customer.name", "\ufeff\u202e\u2066"), "customer.name"),
    ("Hangul filler name", _set("customer.name", "\u3164"), "customer.name"),
    ("zero-width item name", _set("items.0.name", "\u200b"), "items.0.name"),
    ("telegram_id as text", _set("customer.telegram_id", "777"), "customer.telegram_id"),
    ("negative telegram_id", _set("customer.telegram_id", -5), "customer.telegram_id"),
    ("no items", _set("items", []), "items"),
    ("101 items", _set("items", [{"name": "x", "quantity": 1, "price": "1"}] * 101), "items"),
    ("items not a list", _set("items", {"name": "x"}), "items"),
    ("zero quantity", _set("items.0.quantity", 0), "items.0.quantity"),
    ("fractional quantity", _set("items.0.quantity", 1.5), "items.0.quantity"),
    ("quantity as text", _set("items.0.quantity", "2"), "items.0.quantity"),
    ("quantity as bool", _set("items.0.quantity", True), "items.0.quantity"),
    ("three decimals", _set("items.0.price", "450.001"), "items.0.price"),
    ("negative price", _set("items.0.price", -1), "items.0.price"),
    ("price as bool", _set("items.0.price", True), "items.0.price"),
    ("price not a number", _set("items.0.price", "free"), "items.0.price"),
    ("price NaN text", _set("items.0.price", "NaN"), "items.0.price"),
    ("price Infinity text", _set("items.0.price", "Infinity"), "items.0.price"),
    ("price with a sign", _set("items.0.price", "+450"), "items.0.price"),
    ("price with leading zeros", _set("items.0.price", "0450.00"), "items.0.price"),
    ("price with an exponent", _set("items.0.price", "4.5E2"), "items.0.price"),
    ("price with spaces", _set("items.0.price", " 450 "), "items.0.price"),
    ("a thousandth of a cent", _set("items.0.price", 0.00001), "items.0.price"),
    ("fractional telegram_id", _set("customer.telegram_id", 7.5), "customer.telegram_id"),
    ("name padded past its length", _set("customer.name", " " * 10 + "О" * 195), "customer.name"),
    ("missing item name", _drop("items.0.name"), "items.0.name"),
    ("long sku", _set("items.0.sku", "S" * 65), "items.0.sku"),
    ("returnable as text", _set("items.0.returnable", "yes"), "items.0.returnable"),
    ("negative total", _set("total", "-900.00"), "total"),
    ("total too large", _set("total", "12345678901.00"), "total"),
    ("fake currency", _set("currency", "XYZ"), "currency"),
    ("currency too long", _set("currency", "UAHH"), "currency"),
    ("card payment", _set("payment", "card"), "payment"),
    ("unknown carrier", _set("delivery.carrier", "dhl"), "delivery.carrier"),
    ("missing city", _drop("delivery.city"), "delivery.city"),
    ("long city", _set("delivery.city", "К" * 121), "delivery.city"),
    ("unknown language", _set("language", "de"), "language"),
    ("naive created_at", _set("created_at", "2026-11-20T10:00:00"), "created_at"),
    ("unix created_at", _set("created_at", 1795000000), "created_at"),
    ("garbage created_at", _set("created_at", "yesterday"), "created_at"),
    ("created_at before UTC time", _set("created_at", "0001-01-01T00:00:00+02:00"), "created_at"),
    ("unknown field", _set("coupon", "SALE"), "coupon"),
    ("misspelt field", _set("delivery.adress", "вул. Хрещатик, 1"), "delivery.adress"),
]


@pytest.mark.parametrize(
    ("change", "field"),
    [pytest.param(change, field, id=name) for name, change, field in BAD_FIELDS],
)
async def test_invalid_field_is_named_and_nothing_is_stored(
    client: TestClient, db: Database, change: Callable[[Payload], None], field: str
) -> None:
    payload = order_payload()
    change(payload)

    response = await create(client, payload)

    assert response.status == 422
    body = await response.json()
    assert body["error"]["code"] == "validation_failed"
    named = [item["field"] for item in body["error"]["fields"]]
    assert field in named, body
    assert all(item["message"] for item in body["error"]["fields"])
    assert await row_counts(db) == NOTHING


async def test_every_wrong_field_is_named_at_once(client: TestClient, db: Database) -> None:
    payload = order_payload(total="abc", currency="ZZZ")
    payload["customer"]["phone"] = "0"
    payload["items"] = [
        {"name": "ok", "quantity": 1, "price": "1.00"},
        {"name": "", "quantity": 0, "price": "1.001"},
    ]
    del payload["delivery"]["carrier"]

    response = await create(client, payload)

    assert response.status == 422
    error = (await response.json())["error"]
    assert {item["field"] for item in error["fields"]} == {
        "total",
        "currency",
        "customer.phone",
        "items.1.name",
        "items.1.quantity",
        "items.1.price",
        "delivery.carrier",
    }
    assert "customer.phone" in error["message"]
    assert await row_counts(db) == NOTHING


async def test_messages_say_what_is_wrong(client: TestClient) -> None:
    payload = order_payload()
    payload["customer"]["phone"] = "12345"
    del payload["delivery"]["city"]

    response = await create(client, payload)

    fields = {item["field"]: item["message"] for item in (await response.json())["error"]["fields"]}
    assert "not a valid phone number" in fields["customer.phone"]
    assert fields["delivery.city"] == "This field is required"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"{", id="truncated"),
        pytest.param(b"{'external_id': 'A'}", id="single quotes"),
        pytest.param(b"[]", id="array"),
        pytest.param(b'"order"', id="string"),
        pytest.param(b"null", id="null"),
        pytest.param(b"42", id="number"),
        pytest.param(b'{"total": NaN}', id="NaN"),
        pytest.param(b'{"total": Infinity}', id="Infinity"),
        pytest.param(b"\xff\xfe{", id="not UTF-8"),
        pytest.param(b"[" * 100_000, id="deeply nested"),
    ],
)
async def test_malformed_json_is_400(client: TestClient, db: Database, raw: bytes) -> None:
    response = await client.post(
        "/api/v1/orders", data=raw, headers={**AUTH, "Content-Type": "application/json"}
    )

    assert response.status == 400
    error = (await response.json())["error"]
    assert error["code"] == "bad_json"
    assert error["message"]
    assert await row_counts(db) == NOTHING


async def test_status_body_is_checked_too(client: TestClient, db: Database) -> None:
    await create(client, order_payload())
    before = await row_counts(db)

    unknown = await client.post(
        "/api/v1/orders/A-1001/status", json={"status": "lost"}, headers=AUTH
    )
    missing = await client.post("/api/v1/orders/A-1001/status", json={}, headers=AUTH)
    broken = await client.post("/api/v1/orders/A-1001/status", data=b"[1]", headers=AUTH)

    assert unknown.status == 422
    assert [f["field"] for f in (await unknown.json())["error"]["fields"]] == ["status"]
    assert missing.status == 422
    assert [f["field"] for f in (await missing.json())["error"]["fields"]] == ["status"]
    assert broken.status == 400
    assert await row_counts(db) == before


async def test_body_over_one_mebibyte_is_413(client: TestClient, db: Database) -> None:
    payload = order_payload()
    payload["items"][0]["name"] = "x" * (1024 * 1024)

    response = await create(client, payload)

    assert response.status == 413
    assert (await response.json())["error"]["code"] == "payload_too_large"
    assert await row_counts(db) == NOTHING
