"""What the shop may send: pydantic request models, and their conversion to service input.

Lengths follow the columns in ``storage/models.py`` so that nothing valid here fails in the
database. Every text is trimmed and may not contain control characters (PostgreSQL refuses
NUL; nobody's name contains a bell).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from babel.numbers import is_currency
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)

from bot.domain.languages import Language
from bot.domain.orders import Carrier, OrderStatus, Payment
from bot.domain.phones import normalise_phone
from bot.services.intake import NewItem, NewOrder

MAX_ITEMS = 100
CENT = Decimal("0.01")


def _no_control_characters(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("must not contain control characters")
    return value


def _no_control_characters_but_newlines(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
        raise ValueError("must not contain control characters")
    return value


def _text(max_length: int) -> Any:
    """A trimmed, non-empty, single-line string of at most ``max_length`` characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_no_control_characters),
    ]


def _cents(value: Decimal) -> Decimal:
    # ``+ 0`` turns "-0" into "0"; quantize turns "1E+2" into "100.00".
    return (value + 0).quantize(CENT)


def _currency(value: str) -> str:
    code = value.upper()
    if not is_currency(code):
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return code


def _phone(value: str) -> str:
    return normalise_phone(value)  # InvalidPhone is a ValueError: pydantic reports it


def _string_only(value: Any) -> Any:
    """Dates come as ISO 8601 text: refuse numbers that pydantic would read as Unix time."""
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time string with a UTC offset")
    return value


ExternalId = Annotated[
    _text(64), Field(description="The shop's order id; makes intake idempotent.")
]
CustomerName = _text(200)
Sku = _text(64)
ItemName = _text(300)
City = _text(120)
Point = _text(200)
Address = _text(300)
Money = Annotated[
    Decimal,
    Field(
        ge=0,
        max_digits=12,
        decimal_places=2,
        allow_inf_nan=False,
        description='A non-negative amount with at most 2 decimals, as "450.00" or 450.',
    ),
    AfterValidator(_cents),
]
Currency = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{3}$"),
    AfterValidator(_currency),
    Field(description="ISO 4217 code, e.g. UAH."),
]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=32),
    AfterValidator(_phone),
    Field(description="Any usual spelling; stored in E.164. Ukrainian numbers may omit +38."),
]
ShopTimestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_string_only),
    Field(description="ISO 8601 with an offset, e.g. 2026-11-20T10:00:00+02:00."),
]
TelegramId = Annotated[StrictInt, Field(gt=0, le=2**63 - 1)]
Comment = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2000),
    AfterValidator(_no_control_characters_but_newlines),
]


class _Strict(BaseModel):
    """Unknown keys are refused: a misspelt optional field must not vanish silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CustomerIn(_Strict):
    phone: Phone
    name: CustomerName
    telegram_id: TelegramId | None = None


class ItemIn(_Strict):
    sku: Sku | None = None
    name: ItemName
    quantity: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    price: Money
    returnable: StrictBool = True


class DeliveryIn(_Strict):
    carrier: Carrier
    city: City
    point: Point | None = None
    address: Address | None = None


class OrderIn(_Strict):
    """``POST /api/v1/orders``."""

    external_id: ExternalId
    customer: CustomerIn
    items: Annotated[list[ItemIn], Field(min_length=1, max_length=MAX_ITEMS)]
    total: Money
    currency: Currency
    payment: Payment
    delivery: DeliveryIn
    language: Language | None = None
    created_at: ShopTimestamp | None = None

    def to_new_order(self) -> NewOrder:
        return NewOrder(
            external_id=self.external_id,
            phone=self.customer.phone,
            customer_name=self.customer.name,
            items=tuple(
                NewItem(
                    name=item.name,
                    quantity=item.quantity,
                    price=item.price,
                    sku=item.sku,
                    returnable=item.returnable,
                )
                for item in self.items
            ),
            total=self.total,
            currency=self.currency,
            payment=self.payment,
            carrier=self.delivery.carrier,
            city=self.delivery.city,
            point=self.delivery.point,
            address=self.delivery.address,
            telegram_id=self.customer.telegram_id,
            language=self.language,
            created_at=self.created_at,
        )


class StatusIn(_Strict):
    """``POST /api/v1/orders/{external_id}/status``."""

    status: OrderStatus
    comment: Comment | None = None

    @property
    def comment_or_none(self) -> str | None:
        return self.comment or None


REQUEST_MODELS: tuple[type[BaseModel], ...] = (OrderIn, StatusIn)

__all__ = [
    "REQUEST_MODELS",
    "CustomerIn",
    "DeliveryIn",
    "ItemIn",
    "OrderIn",
    "StatusIn",
]
