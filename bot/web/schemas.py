"""What the shop may send: pydantic request models, and their conversion to service input.

Lengths follow the columns in ``storage/models.py`` so that nothing valid here fails in the
database. Every text is trimmed and may not contain control characters (PostgreSQL refuses
NUL; nobody's name contains a bell).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
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
from bot.domain.orders import Carrier, EventSource, OrderStatus, Payment
from bot.domain.phones import normalise_phone
from bot.domain.shipments import ShipmentStatus
from bot.services.intake import NewItem, NewOrder
from bot.services.shipments import ShipmentUpdate

MAX_ITEMS = 100
CENT = Decimal("0.01")
# The largest amount a ``Numeric(12, 2)`` column holds; in the document as ``maximum``.
MAX_AMOUNT = Decimal("9999999999.99")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def _in_utc_range(value: datetime) -> datetime:
    """0001-01-01T00:00+02:00 is a valid date-time that has no UTC equivalent: refuse it here,
    not with an OverflowError when it is stored."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None
    return value


def _date_string_only(value: Any) -> Any:
    if not isinstance(value, str) or not ISO_DATE.match(value.strip()):
        raise ValueError("must be an ISO 8601 date string, e.g. 2026-11-30")
    return value.strip()


def _has_next_day(value: date) -> date:
    if value >= date.max:
        raise ValueError("is out of range")
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
        le=MAX_AMOUNT,
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
    AfterValidator(_in_utc_range),
    Field(description="ISO 8601 with an offset, e.g. 2026-11-20T10:00:00+02:00."),
]
ShopDate = Annotated[
    date,
    BeforeValidator(_date_string_only),
    Field(description="ISO 8601 date, e.g. 2026-11-30."),
]
TrackingNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(_no_control_characters),
    Field(
        description=(
            "The carrier's waybill number; spaces are ignored. Nova Poshta: 14 digits, "
            "Ukrposhta: 13 digits or as RB123456789UA, others: 5-40 letters, digits and '-'."
        ),
        examples=["20450000000000"],
    ),
]
StorageUntil = Annotated[ShopDate, AfterValidator(_has_next_day)]
ShipmentPoint = _text(300)
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
    occurred_at: ShopTimestamp | None = Field(
        default=None,
        description="When the order moved in the shop's records (a late sync); now if left out. "
        "A moment in the future counts as now, one before the order as the order's creation.",
    )

    @property
    def comment_or_none(self) -> str | None:
        return self.comment or None


class ShipmentIn(_Strict):
    """``POST /api/v1/orders/{external_id}/shipment``."""

    carrier: Carrier
    tracking_number: TrackingNumber


class ShipmentEventIn(_Strict):
    """``POST /api/v1/shipments/{tracking_number}/events``: only ``status`` is required.

    A field left out (or null) leaves what is stored as it is.
    """

    status: ShipmentStatus
    occurred_at: ShopTimestamp | None = Field(
        default=None,
        description="When it happened (the carrier's time); now if left out. The order's history "
        "keeps it, so a late sync counts from the right day: a moment in the future counts as "
        "now, one before the order as the order's creation.",
    )
    storage_until: StorageUntil | None = Field(
        default=None, description="The last day the parcel is stored for free (ISO 8601 date)."
    )
    point: ShipmentPoint | None = Field(
        default=None, description="Where the parcel waits: branch or parcel locker, address."
    )
    expected_delivery: ShopDate | None = None
    cod_amount: Money | None = Field(
        default=None, description="What the customer pays at pickup, as the carrier says."
    )
    can_extend_storage: StrictBool | None = None

    def to_update(self) -> ShipmentUpdate:
        """The service counts the first *paid* day; the shop speaks of the last free one."""
        paid_from = self.storage_until + timedelta(days=1) if self.storage_until else None
        return ShipmentUpdate(
            status=self.status,
            occurred_at=self.occurred_at,
            point=self.point,
            paid_storage_from=paid_from,
            expected_delivery=self.expected_delivery,
            cod_amount=self.cod_amount,
            can_extend_storage=self.can_extend_storage,
            source=EventSource.shop,
        )


REQUEST_MODELS: tuple[type[BaseModel], ...] = (OrderIn, StatusIn, ShipmentIn, ShipmentEventIn)

__all__ = [
    "REQUEST_MODELS",
    "CustomerIn",
    "DeliveryIn",
    "ItemIn",
    "OrderIn",
    "ShipmentEventIn",
    "ShipmentIn",
    "StatusIn",
]
