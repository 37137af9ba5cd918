"""An order as the shop sends it, already checked: what intake stores (from the shop API or a
connected platform)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from bot.domain.languages import Language
from bot.domain.orders import Carrier, Payment

# What an order may hold: the shop API's limits (bot/web/schemas.py) and the columns'
# (storage/models.py); a connected platform's order is read to the same ones.
MAX_ITEMS: Final = 100
MAX_QUANTITY: Final = 1_000_000
EXTERNAL_ID_LENGTH: Final = 64
PHONE_LENGTH: Final = 32
NAME_LENGTH: Final = 200
ITEM_NAME_LENGTH: Final = 300
SKU_LENGTH: Final = 64
CITY_LENGTH: Final = 120
POINT_LENGTH: Final = 200
ADDRESS_LENGTH: Final = 300
MAX_WEIGHT: Final = 1000  # kg; NP's heaviest single place in refdata is 1100 kg (a cargo branch)


@dataclass(frozen=True)
class NewItem:
    name: str
    quantity: int
    price: Decimal
    sku: str | None = None
    returnable: bool = True


@dataclass(frozen=True)
class NewOrder:
    """A validated order from the shop; the phone is already E.164."""

    external_id: str
    phone: str
    customer_name: str
    items: tuple[NewItem, ...]
    total: Decimal
    currency: str
    payment: Payment
    carrier: Carrier
    city: str
    point: str | None = None
    address: str | None = None
    weight: Decimal | None = None  # kg
    telegram_id: int | None = None
    language: Language | None = None
    created_at: datetime | None = None
