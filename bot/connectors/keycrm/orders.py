"""A KeyCRM order (``GET /order/{id}?include=…``) as Vykup takes it in: pure, no I/O.

Fields as KeyCRM's OpenAPI-generated SDK documents them (``refdata/crm/keycrm-api-facts.json``,
order_object_fields; plakidan/key-crm docs/Model/OrderWithIncludes*.md). Where it is silent:

- ``shipping.delivery_service`` ({id, name, source_name, alias}) is what
  ``include=shipping.deliveryService`` adds: the key and fields as a public mirror of KeyCRM's
  order shape has them (code-index file 69512830612, "shipping.delivery_service"), matching the
  DeliveryService object of the facts.
- KeyCRM casts an empty relation to ``[]`` rather than ``null`` (same source): ``[]`` where an
  object is expected reads as absent.
- The currency: an order has none of its own; its source (sales channel) has ``currency_code``
  (facts: other_objects.Source). ``connect`` stores each source's currency in
  ``options["source_currencies"]`` (``"1:UAH,3:USD"``); an order of an unknown source is in UAH.

Decisions (README "KeyCRM"):

- The customer is the buyer (``buyer.phone``, ``buyer.full_name``) and, when the buyer has no
  valid phone, the parcel's recipient (``shipping.recipient_phone``, ``recipient_full_name``):
  name and phone are taken from the same person, so a customer is never called by another's name.
- Cash on delivery: a payment whose method is a COD method (its id in
  ``options["cod_payment_method_ids"]``, or its name saying so) makes the order COD; otherwise an
  order that is paid (``payment_status`` "paid", or paid payments covering ``grand_total``) is
  prepaid and skipped; any other order (nothing or part paid) is paid at the branch: COD.
- More than 100 products: refused (:class:`InvalidInbound`) rather than taken in part, since a
  customer must never confirm an order that is not the one they made.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from bot.connectors.base import InvalidInbound, RemoteOrder, SkipReason, TooManyItems, Tracking
from bot.connectors.keycrm.inbound import order_id
from bot.connectors.keycrm.vocabulary import carrier_of, means_cash_on_delivery
from bot.domain.languages import Language, supported
from bot.domain.money import (
    CENT,
    AmountProblem,
    InvalidCurrency,
    amount_problem,
    normalise_currency,
)
from bot.domain.new_order import (
    ADDRESS_LENGTH,
    CITY_LENGTH,
    ITEM_NAME_LENGTH,
    MAX_ITEMS,
    MAX_QUANTITY,
    NAME_LENGTH,
    PHONE_LENGTH,
    POINT_LENGTH,
    SKU_LENGTH,
    NewItem,
    NewOrder,
)
from bot.domain.orders import Carrier, OrderStatus, Payment
from bot.domain.phones import InvalidPhone, normalise_phone
from bot.domain.waybills import compact_waybill, valid_waybill

DEFAULT_CURRENCY: Final = "UAH"
TRACKING_LENGTH: Final = 64
# A float within this of a whole cent is that cent (binary noise in KeyCRM's computed totals).
CENT_NOISE: Final = Decimal("0.000001")
PAID: Final = "paid"

# Keys of ConnectionInfo.options (written by ``register``).
CANCELLED_STATUS_IDS: Final = "cancelled_status_ids"
CANCELLED_GROUP_ID: Final = "cancelled_group_id"
COD_PAYMENT_METHOD_IDS: Final = "cod_payment_method_ids"
SOURCE_CURRENCIES: Final = "source_currencies"
LANGUAGE_FIELD: Final = "language_field"


def remote_order(
    data: Any, options: Mapping[str, str], mapping: Mapping[str, str] | None = None
) -> RemoteOrder:
    """Read one order; raise :class:`InvalidInbound` naming the field that cannot be read.

    ``mapping``: the connection's event → status id; a manager who moves the order to the status
    Vykup uses for "confirmed" (or "on hold") confirmed (held) it, by phone say."""
    if not isinstance(data, dict):
        raise InvalidInbound("order", "must be a JSON object")
    remote_id = str(order_id(data, "id"))
    shipping = _object(data, "shipping", "shipping")
    carrier = _carrier(shipping)
    base = RemoteOrder(
        remote_id=remote_id,
        number=remote_id,  # KeyCRM's admin shows the order by its id
        updated_at=_timestamp(data.get("updated_at"), "updated_at"),
        order=None,
        status=_status(data, options, mapping or {}),
        status_comment=_status_name(data),
        tracking=_tracking(shipping, carrier),
    )
    contact = _contact(data, shipping)
    if contact is None:
        return _skipped(base, SkipReason.no_phone)
    phone, name = contact
    total = _amount(data.get("grand_total"), "grand_total")
    payments = _payments(data)
    if not _cash_on_delivery(data, payments, total, options):
        return _skipped(base, SkipReason.not_cash_on_delivery)
    try:
        items = _items(data)
    except TooManyItems:
        return _skipped(base, SkipReason.too_many_items)
    order = NewOrder(
        external_id=remote_id,
        phone=phone,
        customer_name=name,
        items=items,
        total=total,
        currency=_currency(data, options),
        payment=Payment.cod,
        carrier=carrier,
        city=_text(shipping, "shipping_address_city", "shipping.shipping_address_city", CITY_LENGTH)
        or "",
        point=_text(
            shipping, "shipping_receive_point", "shipping.shipping_receive_point", POINT_LENGTH
        ),
        address=_text(
            shipping, "shipping_secondary_line", "shipping.shipping_secondary_line", ADDRESS_LENGTH
        ),
        language=_language(data, options),
        created_at=_timestamp(data.get("ordered_at"), "ordered_at"),
    )
    return RemoteOrder(
        remote_id=base.remote_id,
        number=base.number,
        updated_at=base.updated_at,
        order=order,
        status=base.status,
        status_comment=base.status_comment,
        tracking=base.tracking,
    )


def _skipped(base: RemoteOrder, reason: SkipReason) -> RemoteOrder:
    return RemoteOrder(
        remote_id=base.remote_id,
        number=base.number,
        updated_at=base.updated_at,
        order=None,
        skipped=reason,
        status=base.status,
        status_comment=base.status_comment,
        tracking=base.tracking,
    )


# -- reading values ---------------------------------------------------------------------------


def _object(row: Mapping[str, Any] | None, key: str, field_name: str) -> dict[str, Any] | None:
    if row is None:
        return None
    value = row.get(key)
    if value is None or value == []:
        return None
    if not isinstance(value, dict):
        raise InvalidInbound(field_name, "must be an object")
    return value


def _list(row: Mapping[str, Any], key: str, field_name: str) -> list[Any]:
    value = row.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInbound(field_name, "must be an array")
    return value


def _text(row: Mapping[str, Any] | None, key: str, field_name: str, max_length: int) -> str | None:
    """A trimmed string, or None when absent or blank."""
    if row is None:
        return None
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInbound(field_name, "must be a string")
    if len(value) > max_length:
        raise InvalidInbound(field_name, f"must have at most {max_length} characters")
    return value.strip() or None


def _number(value: Any, field_name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidInbound(field_name, "must be a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInbound(field_name, "must be a number") from None
    if not number.is_finite():
        raise InvalidInbound(field_name, "must be a finite number")
    return number


def _amount(value: Any, field_name: str) -> Decimal:
    """Money: at least 0, below 10^10, whole cents (within float noise)."""
    if value is None:
        raise InvalidInbound(field_name, "is missing")
    number = _number(value, field_name)
    if abs(number) >= Decimal("1E+12"):
        raise InvalidInbound(field_name, "is too large")
    cents = number.quantize(CENT)
    if abs(number - cents) > CENT_NOISE:
        raise InvalidInbound(field_name, "must have at most 2 decimals")
    problem = amount_problem(cents)
    if problem is AmountProblem.negative:
        raise InvalidInbound(field_name, "must not be negative")
    if problem is AmountProblem.too_large:
        raise InvalidInbound(field_name, "is too large")
    return cents


def _timestamp(value: Any, field_name: str) -> datetime | None:
    """KeyCRM's times are UTC (facts: time_zone): ``2024-05-01 10:00:00`` or ISO 8601."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidInbound(field_name, "must be a date and time")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInbound(field_name, "must be a date and time") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _id_set(options: Mapping[str, str], key: str) -> frozenset[int]:
    return frozenset(int(part) for part in options.get(key, "").split(",") if part.isdigit())


def _int(value: Any) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# -- the parts of an order ------------------------------------------------------------------


def _status(
    data: Mapping[str, Any], options: Mapping[str, str], mapping: Mapping[str, str]
) -> OrderStatus | None:
    """Cancelled when the status is one of the account's cancelled statuses (or in their
    group); confirmed or on hold when it is the status Vykup itself sets for those events (Vykup's
    own update coming back is then a repeat); KeyCRM's other statuses are the shop's own workflow
    and change nothing in Vykup."""
    status_id = _int(data.get("status_id"))
    group_id = _int(data.get("status_group_id"))
    status = _object(data, "status", "status")
    if status is not None:
        status_id = _int(status.get("id")) if status_id is None else status_id
        group_id = _int(status.get("group_id")) if group_id is None else group_id
    if status_id is not None and status_id in _id_set(options, CANCELLED_STATUS_IDS):
        return OrderStatus.cancelled
    for event, moved_to in INBOUND_BY_EVENT.items():
        if status_id is not None and mapping.get(event, "").strip() == str(status_id):
            return moved_to
    cancelled_group = options.get(CANCELLED_GROUP_ID, "")
    if group_id is not None and cancelled_group.isdigit() and group_id == int(cancelled_group):
        return OrderStatus.cancelled
    return None


# The statuses Vykup sets on an order (the connection's mapping) that mean the same coming back.
INBOUND_BY_EVENT: Final[Mapping[str, OrderStatus]] = {
    "order.confirmed": OrderStatus.confirmed,
    "order.on_hold": OrderStatus.on_hold,
}


def _status_name(data: Mapping[str, Any]) -> str | None:
    return _text(_object(data, "status", "status"), "name", "status.name", NAME_LENGTH)


def _carrier(shipping: dict[str, Any] | None) -> Carrier:
    service = _object(shipping, "delivery_service", "shipping.delivery_service")
    if service is None:
        return Carrier.other
    return carrier_of(service.get(key) for key in ("name", "alias", "source_name"))


def _tracking(shipping: dict[str, Any] | None, carrier: Carrier) -> Tracking | None:
    """A waybill on the order means the parcel left; one not of the carrier's form is ignored
    (a manager's typo must not ship an order in Vykup)."""
    code = _text(shipping, "tracking_code", "shipping.tracking_code", TRACKING_LENGTH)
    if code is None:
        return None
    number = compact_waybill(code)
    return Tracking(carrier, number) if valid_waybill(carrier, number) else None


def _phone(row: dict[str, Any] | None, key: str, field_name: str) -> str | None:
    raw = _text(row, key, field_name, PHONE_LENGTH)
    if raw is None:
        return None
    try:
        return normalise_phone(raw)
    except InvalidPhone:
        return None


def _contact(data: dict[str, Any], shipping: dict[str, Any] | None) -> tuple[str, str] | None:
    """(E.164 phone, name) of the buyer, else of the recipient; None when neither has a valid
    phone."""
    buyer = _object(data, "buyer", "buyer")
    buyer_name = _text(buyer, "full_name", "buyer.full_name", NAME_LENGTH)
    recipient_name = _text(
        shipping, "recipient_full_name", "shipping.recipient_full_name", NAME_LENGTH
    )
    buyer_phone = _phone(buyer, "phone", "buyer.phone")
    recipient_phone = _phone(shipping, "recipient_phone", "shipping.recipient_phone")
    if buyer_phone is not None:
        return buyer_phone, buyer_name or recipient_name or ""
    if recipient_phone is not None:
        return recipient_phone, recipient_name or buyer_name or ""
    return None


def _payments(data: dict[str, Any]) -> list[dict[str, Any]]:
    payments = _list(data, "payments", "payments")
    for index, payment in enumerate(payments):
        if not isinstance(payment, dict):
            raise InvalidInbound(f"payments[{index}]", "must be an object")
    return payments


def _cash_on_delivery(
    data: dict[str, Any],
    payments: list[dict[str, Any]],
    total: Decimal,
    options: Mapping[str, str],
) -> bool:
    cod_methods = _id_set(options, COD_PAYMENT_METHOD_IDS)
    paid = Decimal(0)
    for index, payment in enumerate(payments):
        method = payment.get("payment_method")
        names = [method.get("name"), method.get("alias")] if isinstance(method, dict) else []
        if _int(payment.get("payment_method_id")) in cod_methods or means_cash_on_delivery(names):
            return True
        if payment.get("status") == PAID and payment.get("amount") is not None:
            paid += _amount(payment["amount"], f"payments[{index}].amount")
    status = data.get("payment_status")
    if status is not None and not isinstance(status, str):
        raise InvalidInbound("payment_status", "must be a string")
    fully_paid = status == PAID or (total > 0 and paid >= total)
    return not fully_paid


def _items(data: dict[str, Any]) -> tuple[NewItem, ...]:
    products = _list(data, "products", "products")
    if not products:
        raise InvalidInbound("products", "the order has no products")
    if len(products) > MAX_ITEMS:
        raise TooManyItems(
            "products", f"{len(products)} products; Vykup takes an order of at most {MAX_ITEMS}"
        )
    return tuple(_item(product, f"products[{index}]") for index, product in enumerate(products))


def _item(product: Any, field_name: str) -> NewItem:
    if not isinstance(product, dict):
        raise InvalidInbound(field_name, "must be an object")
    name = _text(product, "name", f"{field_name}.name", ITEM_NAME_LENGTH)
    if name is None:
        raise InvalidInbound(f"{field_name}.name", "is missing")
    offer = _object(product, "offer", f"{field_name}.offer")
    sku = _text(product, "sku", f"{field_name}.sku", SKU_LENGTH) or _text(
        offer, "sku", f"{field_name}.offer.sku", SKU_LENGTH
    )
    return NewItem(
        name=name,
        quantity=_quantity(product.get("quantity"), f"{field_name}.quantity"),
        price=_amount(product.get("price"), f"{field_name}.price"),
        sku=sku,
    )


def _quantity(value: Any, field_name: str) -> int:
    """KeyCRM's quantity is a float (metres of fabric are 12.5); Vykup counts whole pieces."""
    if value is None:
        raise InvalidInbound(field_name, "is missing")
    number = _number(value, field_name)
    if number != number.to_integral_value():
        raise InvalidInbound(field_name, "must be a whole number of pieces")
    if not 1 <= number <= MAX_QUANTITY:
        raise InvalidInbound(field_name, f"must be between 1 and {MAX_QUANTITY}")
    return int(number)


def _currency(data: dict[str, Any], options: Mapping[str, str]) -> str:
    source_id = _int(data.get("source_id"))
    for pair in options.get(SOURCE_CURRENCIES, "").split(","):
        key, _, code = pair.partition(":")
        if key.isdigit() and int(key) == source_id and code:
            try:
                return normalise_currency(code)
            except InvalidCurrency:
                break
    return DEFAULT_CURRENCY


def _language(data: dict[str, Any], options: Mapping[str, str]) -> Language | None:
    """From the order's custom field named in ``options["language_field"]`` (its uuid, e.g.
    ``OR_1001``), holding ``uk``/``ru``/``en``; KeyCRM has no language of its own."""
    uuid = options.get(LANGUAGE_FIELD)
    if not uuid:
        return None
    for field in _list(data, "custom_fields", "custom_fields"):
        if isinstance(field, dict) and field.get("uuid") == uuid:
            value = field.get("value")
            if isinstance(value, list):
                value = value[0] if value else None
            return supported(value) if isinstance(value, str) and len(value) < 20 else None
    return None
