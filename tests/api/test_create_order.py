"""POST /api/v1/orders: the shop hands over an order, once, whatever it retries."""

from __future__ import annotations

import asyncio
import re

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from storage.models import Customer, Order, OutboxMessage
from storage.uow import Database
from tests.api.conftest import AUTH, create, order_payload, row_counts

LINK = re.compile(r"^https://t\.me/vykup_test_bot\?start=([A-Za-z0-9_-]{22})$")


async def test_new_order_is_created_and_described(client: TestClient, db: Database) -> None:
    response = await create(client, order_payload())

    assert response.status == 201
    assert response.content_type == "application/json"
    assert response.headers["Location"] == "/api/v1/orders/A-1001"
    body = await response.json()
    assert body["external_id"] == "A-1001"
    assert body["status"] == "new"
    assert LINK.match(body["telegram_link"]), body["telegram_link"]
    assert body["customer"] == {"phone": "+380501234567", "name": "Олена Коваль", "linked": False}
    assert body["items"] == [
        {
            "sku": "TSHIRT-M",
            "name": "Футболка M",
            "quantity": 2,
            "price": "450.00",
            "returnable": True,
        }
    ]
    assert body["total"] == "900.00"
    assert body["currency"] == "UAH"
    assert body["payment"] == "cod"
    assert body["delivery"] == {
        "carrier": "nova_poshta",
        "city": "Київ",
        "point": "Відділення №12",
        "address": None,
    }
    assert body["language"] == "uk"
    assert body["created_at"] == "2026-11-20T08:00:00Z"  # the shop's moment, in UTC

    async with db.uow() as uow:
        order = await uow.orders.by_external_id("A-1001")
        assert order is not None
        assert body["telegram_link"].endswith(order.link_token)
        assert order.total == 900
        assert [(item.sku, item.quantity, item.price) for item in order.items] == [
            ("TSHIRT-M", 2, 450)
        ]
        assert order.customer.phone == "+380501234567"
    counts = await row_counts(db)
    assert (counts["customers"], counts["orders"], counts["order_items"]) == (1, 1, 1)
    assert counts["outbox"] == 0  # nobody to write to: the customer has not opened the bot


async def test_numbers_and_optional_fields(client: TestClient, db: Database) -> None:
    payload = order_payload(total=900, language=None, created_at=None)
    payload["items"] = [{"name": "  Футболка  ", "quantity": 2, "price": 450.5}]
    payload["currency"] = "uah"
    payload["customer"] = {"phone": "050 123 45 67", "name": " Олена "}
    payload["delivery"] = {"carrier": "courier", "city": "Львів", "address": "вул. Городоцька, 1"}

    response = await create(client, payload)

    assert response.status == 201, await response.text()
    body = await response.json()
    assert body["items"] == [
        {"sku": None, "name": "Футболка", "quantity": 2, "price": "450.50", "returnable": True}
    ]
    assert body["total"] == "900.00"
    assert body["currency"] == "UAH"
    assert body["customer"]["name"] == "Олена"
    assert body["customer"]["phone"] == "+380501234567"
    assert body["delivery"]["point"] is None
    assert body["delivery"]["address"] == "вул. Городоцька, 1"
    assert body["language"] is None
    assert body["created_at"] is None


async def test_numbers_as_json_schema_reads_them(client: TestClient) -> None:
    """``2.0`` is an integer and ``0.5700000000000001`` (binary noise) is 0.57, as the document's
    ``integer`` and ``multipleOf: 0.01`` say."""
    payload = order_payload(total=1.1400000000000001)
    payload["customer"]["telegram_id"] = 777001.0
    payload["items"] = [{"name": "Шкарпетки", "quantity": 2.0, "price": 0.5700000000000001}]

    response = await create(client, payload)

    assert response.status == 201, await response.text()
    body = await response.json()
    assert (body["items"][0]["quantity"], body["items"][0]["price"]) == (2, "0.57")
    assert body["total"] == "1.14"
    assert body["customer"]["linked"] is True


async def test_same_external_id_returns_the_same_order(client: TestClient, db: Database) -> None:
    first = await create(client, order_payload())
    first_body = await first.json()
    retry = order_payload(total="900")  # the same order, spelt differently
    retry["customer"]["phone"] = "050 123 45 67"

    again = await create(client, retry)

    assert again.status == 200
    assert await again.json() == first_body
    counts = await row_counts(db)
    assert (counts["customers"], counts["orders"], counts["order_items"]) == (1, 1, 1)


async def test_same_external_id_with_other_data_is_refused_naming_the_fields(
    client: TestClient, db: Database
) -> None:
    first_body = await (await create(client, order_payload())).json()
    fixed = order_payload(total="950.00")
    fixed["customer"]["phone"] = "+380671112233"
    fixed["items"][0]["quantity"] = 3

    answer = await create(client, fixed)

    assert answer.status == 409
    error = (await answer.json())["error"]
    assert error["code"] == "order_exists_with_different_data"
    assert [item["field"] for item in error["fields"]] == [
        "customer.phone",
        "total",
        "items.0.quantity",
    ]
    assert "new external_id" in error["message"]
    stored = await client.get("/api/v1/orders/A-1001", headers=AUTH)
    stored_body = await stored.json()
    for field in ("customer", "total", "items"):
        assert stored_body[field] == first_body[field]
    counts = await row_counts(db)
    assert (counts["customers"], counts["orders"]) == (1, 1)


async def test_linked_customer_gets_exactly_one_card(client: TestClient, db: Database) -> None:
    payload = order_payload()
    payload["customer"] = {**payload["customer"], "telegram_id": 777001}

    first = await create(client, payload)
    second = await create(client, payload)

    assert (first.status, second.status) == (201, 200)
    assert (await first.json())["customer"]["linked"] is True
    async with db.uow() as uow:
        messages = (await uow.session.scalars(select(OutboxMessage))).all()
    assert len(messages) == 1
    assert messages[0].chat_id == 777001
    assert messages[0].channel == "telegram"


async def test_concurrent_retries_store_one_order(client: TestClient, db: Database) -> None:
    responses = await asyncio.gather(*(create(client, order_payload()) for _ in range(5)))

    statuses = sorted(response.status for response in responses)
    assert statuses == [200, 200, 200, 200, 201]
    bodies = [await response.json() for response in responses]
    assert len({body["telegram_link"] for body in bodies}) == 1
    counts = await row_counts(db)
    assert (counts["customers"], counts["orders"]) == (1, 1)


async def test_three_spellings_of_one_phone_are_one_customer(
    client: TestClient, db: Database
) -> None:
    spellings = ["0501234567", "+38 (050) 123-45-67", "380501234567"]
    for number, phone in enumerate(spellings):
        payload = order_payload(external_id=f"A-{number}")
        payload["customer"] = {"phone": phone, "name": "Олена Коваль"}
        response = await create(client, payload)
        assert response.status == 201, await response.text()
        assert (await response.json())["customer"]["phone"] == "+380501234567"

    async with db.uow() as uow:
        customers = (await uow.session.scalars(select(Customer))).all()
        orders = (await uow.session.scalars(select(Order))).all()
    assert [customer.phone for customer in customers] == ["+380501234567"]
    assert {order.customer_id for order in orders} == {customers[0].id}
    assert len(orders) == 3


async def test_external_id_with_a_slash_can_be_read_back(client: TestClient) -> None:
    response = await create(client, order_payload(external_id="2026/11 #7"))
    assert response.status == 201
    location = response.headers["Location"]

    again = await client.get(location, headers=AUTH)

    assert again.status == 200, await again.text()
    assert (await again.json())["external_id"] == "2026/11 #7"


async def test_two_new_orders_of_one_new_customer_at_once(client: TestClient, db: Database) -> None:
    first, second = await asyncio.gather(
        create(client, order_payload(external_id="A-1")),
        create(client, order_payload(external_id="A-2")),
    )

    assert (first.status, second.status) == (201, 201)
    counts = await row_counts(db)
    assert (counts["customers"], counts["orders"]) == (1, 2)


async def test_each_order_keeps_the_recipient_name_it_came_with(client: TestClient) -> None:
    first = order_payload(external_id="A-1")
    relative = order_payload(external_id="A-2")
    relative["customer"]["name"] = "Ірина Коваль"
    assert (await create(client, first)).status == 201
    assert (await create(client, relative)).status == 201

    answer = await client.get("/api/v1/orders/A-1", headers=AUTH)

    assert (await answer.json())["customer"]["name"] == "Олена Коваль"
