"""An order as the shop sends it, already checked: what intake stores (from the shop API or a
connected platform)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot.domain.languages import Language
from bot.domain.orders import Carrier, Payment


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
    telegram_id: int | None = None
    language: Language | None = None
    created_at: datetime | None = None
