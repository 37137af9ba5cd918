"""What the shop may send: pydantic request models, and their conversion to service input.

Lengths follow the columns in ``storage/models.py`` so that nothing valid here fails in the
database. Every text is trimmed and may not contain control characters (PostgreSQL refuses
NUL; nobody's name contains a bell).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

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
    WithJsonSchema,
)

from bot.domain.languages import Language
from bot.domain.money import DECIMALS, MAX_AMOUNT, InvalidCurrency, cents, normalise_currency
from bot.domain.new_order import (
    ADDRESS_LENGTH,
    CITY_LENGTH,
    EXTERNAL_ID_LENGTH,
    ITEM_NAME_LENGTH,
    MAX_ITEMS,
    MAX_QUANTITY,
    MAX_WEIGHT,
    NAME_LENGTH,
    PHONE_LENGTH,
    POINT_LENGTH,
    SKU_LENGTH,
    NewItem,
    NewOrder,
)
from bot.domain.orders import Carrier, EventSource, OrderStatus, Payment
from bot.domain.phones import normalise_phone
from bot.domain.shipments import ShipmentStatus
from bot.domain.visible import has_visible
from bot.services.shipments import ShipmentUpdate
from bot.web.patterns import (
    COMMENT_PATTERN,
    CURRENCY_PATTERN,
    MONEY_PATTERN,
    NAME_PATTERN,
    POSITIVE_MONEY_PATTERN,
    TEXT_PATTERN,
)

# How far from a whole cent a JSON number may be (binary noise): relative, and in cents near 0.
FLOAT_NOISE = Decimal("1E-15")
FLOAT_NOISE_CENTS = Decimal("1E-6")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _no_control_characters(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("must not contain control characters")
    return value


def _no_control_characters_but_newlines(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
        raise ValueError("must not contain control characters")
    return value


def _at_most(max_length: int) -> BeforeValidator:
    """The length as sent, whitespace included: the document's ``maxLength`` counts it too."""

    def check(value: Any) -> Any:
        if isinstance(value, str) and len(value) > max_length:
            raise ValueError(f"must have at most {max_length} characters")
        return value

    return BeforeValidator(check)


def _money_input(value: Any) -> Any:
    """Amounts as the document states them: a decimal string (``MONEY_PATTERN``) or a number.

    A JSON number that a client computed in binary may come as ``0.5700000000000001`` for 0.57
    (the document's ``multipleOf: 0.01`` is checked in floats too): that close to a cent it is read
    as that cent; a real third decimal (``450.001``, ``0.00001``) is refused.
    """
    if isinstance(value, str) and not re.fullmatch(MONEY_PATTERN, value):
        raise ValueError('must be a decimal like "450.00": digits, at most 2 decimals, no sign')
    if isinstance(value, float | Decimal) and not isinstance(value, bool) and math.isfinite(value):
        in_cents = Decimal(value) * 100
        whole = in_cents.to_integral_value()
        if abs(in_cents - whole) > max(FLOAT_NOISE_CENTS, abs(in_cents) * FLOAT_NOISE):
            raise ValueError("must have at most 2 decimals")
        return whole / 100
    return value


def _whole(value: Any) -> Any:
    """JSON has numbers, not ints and floats: ``2.0`` is the integer 2 (as JSON Schema says)."""
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return int(value)
    return value


def _visible(value: str) -> str:
    if not has_visible(value):
        raise ValueError("must contain at least one visible character")
    return value


def _name(max_length: int) -> Any:
    """A text that must show something: not only spaces, zero-width or format characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        _at_most(max_length),
        AfterValidator(_no_control_characters),
        AfterValidator(_visible),
        Field(json_schema_extra={"pattern": NAME_PATTERN}),
    ]


def _text(max_length: int) -> Any:
    """A trimmed, non-empty, single-line string of at most ``max_length`` characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        _at_most(max_length),
        AfterValidator(_no_control_characters),
        Field(json_schema_extra={"pattern": TEXT_PATTERN}),
    ]


def _currency(value: str) -> str:
    try:
        return normalise_currency(value)
    except InvalidCurrency:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code") from None


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


if TYPE_CHECKING:  # built by functions at run time; to a type checker they are strings
    ExternalId: TypeAlias = str
    CustomerName: TypeAlias = str
    Sku: TypeAlias = str
    ItemName: TypeAlias = str
    City: TypeAlias = str
    Point: TypeAlias = str
    Address: TypeAlias = str
    ShipmentPoint: TypeAlias = str
else:
    ExternalId = Annotated[
        _text(EXTERNAL_ID_LENGTH),
        Field(description="The shop's order id; makes intake idempotent."),
    ]
    CustomerName = _name(NAME_LENGTH)
    Sku = _text(SKU_LENGTH)
    ItemName = _name(ITEM_NAME_LENGTH)
    City = _text(CITY_LENGTH)
    Point = _text(POINT_LENGTH)
    Address = _text(ADDRESS_LENGTH)
    ShipmentPoint = _text(300)

MONEY_DESCRIPTION = (
    'A non-negative amount with at most 2 decimals, as "450.00" or 450 (a string without sign, '
    "exponent or leading zeros)."
)


def money_schema(*, positive: bool = False) -> dict[str, Any]:
    """The JSON schema of an amount; ``positive`` for one that must be more than 0."""
    number: dict[str, Any] = {"type": "number", "maximum": float(MAX_AMOUNT), "multipleOf": 0.01}
    number.update({"exclusiveMinimum": 0} if positive else {"minimum": 0})
    pattern = POSITIVE_MONEY_PATTERN if positive else MONEY_PATTERN
    return {"anyOf": [number, {"type": "string", "pattern": pattern}]}


Money = Annotated[
    Decimal,
    Field(
        ge=0,
        le=MAX_AMOUNT,
        max_digits=12,
        decimal_places=DECIMALS,
        allow_inf_nan=False,
    ),
    BeforeValidator(_money_input),
    AfterValidator(cents),
    WithJsonSchema({**money_schema(), "description": MONEY_DESCRIPTION}),
]


def _weight_input(value: Any) -> Any:
    """A weight in grams' precision: a JSON number computed in binary (``1.2000000000000002``)
    is read as the gram it is that close to; a real fourth decimal is refused."""
    if isinstance(value, float | Decimal) and not isinstance(value, bool) and math.isfinite(value):
        in_grams = Decimal(value) * 1000
        whole = in_grams.to_integral_value()
        if abs(in_grams - whole) > max(FLOAT_NOISE_CENTS, abs(in_grams) * FLOAT_NOISE):
            raise ValueError("must have at most 3 decimals")
        return whole / 1000
    return value


Weight = Annotated[
    Decimal,
    Field(ge=Decimal("0.001"), le=MAX_WEIGHT, max_digits=7, decimal_places=3, allow_inf_nan=False),
    BeforeValidator(_weight_input),
    WithJsonSchema(
        {
            "type": "number",
            "minimum": 0.001,
            "maximum": MAX_WEIGHT,
            "multipleOf": 0.001,
            "description": "The parcel's weight in kg, e.g. 1.5 (at most 3 decimals). Optional; "
            "with it Vykup checks that the pickup point takes a parcel this heavy.",
        }
    ),
]
Currency = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{3}$"),
    AfterValidator(_currency),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": CURRENCY_PATTERN,
            "description": "ISO 4217 code in any case, e.g. UAH.",
        }
    ),
]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=PHONE_LENGTH),
    _at_most(PHONE_LENGTH),
    AfterValidator(_phone),
    WithJsonSchema(
        {
            "type": "string",
            "format": "phone",
            "maxLength": PHONE_LENGTH,
            "description": (
                "A phone number valid in its country (format `phone`: libphonenumber's rules), "
                "in any usual spelling; stored in E.164. Ukrainian numbers may omit +38."
            ),
        }
    ),
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
    _at_most(64),
    AfterValidator(_no_control_characters),
    Field(
        json_schema_extra={"pattern": TEXT_PATTERN},
        description=(
            "The carrier's waybill number; spaces are ignored. Nova Poshta: 14 digits, "
            "Ukrposhta: 13 digits or as RB123456789UA, others: 5-40 letters, digits and '-'."
        ),
        examples=["20450000000000"],
    ),
]
StorageUntil = Annotated[ShopDate, AfterValidator(_has_next_day)]
TelegramId = Annotated[StrictInt, Field(gt=0, le=2**63 - 1), BeforeValidator(_whole)]
Comment = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2000),
    _at_most(2000),
    AfterValidator(_no_control_characters_but_newlines),
    Field(json_schema_extra={"pattern": COMMENT_PATTERN}),
]


class Strict(BaseModel):
    """Unknown keys are refused: a misspelt optional field must not vanish silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CustomerIn(Strict):
    phone: Phone
    name: CustomerName
    telegram_id: TelegramId | None = None


class ItemIn(Strict):
    sku: Sku | None = None
    name: ItemName
    quantity: Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY), BeforeValidator(_whole)]
    price: Money
    returnable: StrictBool = True


class DeliveryIn(Strict):
    carrier: Carrier
    city: City
    point: Point | None = None
    address: Address | None = None
    weight: Weight | None = None


class OrderIn(Strict):
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
            weight=self.delivery.weight,
            telegram_id=self.customer.telegram_id,
            language=self.language,
            created_at=self.created_at,
        )


class StatusIn(Strict):
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


class ShipmentIn(Strict):
    """``POST /api/v1/orders/{external_id}/shipment``."""

    carrier: Carrier
    tracking_number: TrackingNumber


class ShipmentEventIn(Strict):
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
