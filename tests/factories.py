"""Builders for test data that read like the shop's own payloads."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from bot.domain.languages import Language
from bot.domain.new_order import NewItem, NewOrder
from bot.domain.orders import Carrier, Payment
from bot.services.people import TelegramUser


def new_order(
    external_id: str = "A-1001",
    *,
    phone: str = "+380501234567",
    name: str = "Олена Коваль",
    telegram_id: int | None = None,
    language: Language | None = None,
) -> NewOrder:
    return NewOrder(
        external_id=external_id,
        phone=phone,
        customer_name=name,
        items=(NewItem(name="Футболка M", quantity=2, price=Decimal("450.00"), sku="TSHIRT-M"),),
        total=Decimal("900.00"),
        currency="UAH",
        payment=Payment.cod,
        carrier=Carrier.nova_poshta,
        city="Київ",
        point="Відділення №12",
        telegram_id=telegram_id,
        language=language,
    )


OLENA = TelegramUser(id=5001, full_name="Олена Коваль", username="olena", language_code="uk")
STRANGER = TelegramUser(id=6666, full_name="Someone Else", language_code="en")
MANAGER = TelegramUser(id=900, full_name="Марія Менеджер")


PAYLOAD: dict[str, Any] = {
    "external_id": "A-1001",
    "customer": {"phone": "+380501234567", "name": "Олена Коваль", "telegram_id": None},
    "items": [
        {
            "sku": "TSHIRT-M",
            "name": "Футболка M",
            "quantity": 2,
            "price": "450.00",
            "returnable": True,
        }
    ],
    "total": "900.00",
    "currency": "UAH",
    "payment": "cod",
    "delivery": {
        "carrier": "nova_poshta",
        "city": "Київ",
        "point": "Відділення №12",
        "address": None,
    },
    "language": "uk",
    "created_at": "2026-11-20T10:00:00+02:00",
}


def order_payload(**overrides: Any) -> dict[str, Any]:
    """The example order from the API description; top-level keys replaced by ``overrides``,
    except ``customer``, whose keys are merged (``customer={"telegram_id": 5001}``)."""
    data = copy.deepcopy(PAYLOAD)
    customer = overrides.pop("customer", None)
    if customer is not None:
        data["customer"] = {**data["customer"], **customer}
    data.update(overrides)
    return data
