"""A WooCommerce order (the REST v3 order object, which is also the order webhooks' body) as Vykup
reads it: pure mapping, no I/O.

Field names follow ``refdata/shop-webhooks/woocommerce-order.created-payload.wp-api-v3-docs.json``.
``external_id`` is the order's ``number`` (what the shop's admin and its customer see), ``remote_id``
its ``id`` (what the REST API addresses). ``date_modified_gmt`` carries no offset: it is UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP
from typing import Any, Final

from bot.connectors.base import InvalidInbound, RemoteOrder, SkipReason, TooManyItems
from bot.connectors.woocommerce.reading import (
    JsonObject,
    as_list,
    as_object,
    meta_value,
    money,
    optional_object,
    text,
    whole_number,
)
from bot.connectors.woocommerce.shipping import delivery_of, order_carrier, tracking_of
from bot.domain.languages import Language, supported
from bot.domain.money import CENT, InvalidCurrency, normalise_currency
from bot.domain.new_order import MAX_ITEMS, MAX_QUANTITY, NewItem, NewOrder
from bot.domain.orders import OrderStatus, Payment
from bot.domain.phones import DEFAULT_REGION, InvalidPhone, normalise_phone

MAX_ID: Final = 2**63 - 1
# The core gateway, and the Nova Poshta plugin's own cash-on-delivery gateway
# (``shipping_nova_poshta_for_woocommerce_cod``, its ``Nova_Poshta_Gateway_COD::ID``).
COD_METHODS: Final = frozenset({"cod", "shipping_nova_poshta_for_woocommerce_cod"})
# WPML stores the language an order was placed in as order meta ``wpml_language`` (read in many
# plugins that switch e-mails to it, via the code index). Polylang keeps it as a taxonomy term,
# which the REST order does not carry.
LANGUAGE_META: Final = ("wpml_language",)

# The shop's own moves that Vykup follows. Everything else is None on purpose: Vykup's own updates
# (processing, completed) come back as order.updated echoes and must not move the order; and
# pending/failed/refunded/custom slugs say nothing Vykup's statuses can hold. on-hold and cancelled
# echoes of Vykup's own updates name the status Vykup already has, so they change nothing.
INBOUND_STATUSES: Final[dict[str, OrderStatus]] = {
    "cancelled": OrderStatus.cancelled,
    "trash": OrderStatus.cancelled,
    "on-hold": OrderStatus.on_hold,
}
# The admin's labels (refdata "admin_labels"), for the status history.
STATUS_LABELS: Final[dict[str, str]] = {
    "pending": "Pending payment",
    "processing": "Processing",
    "on-hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "failed": "Failed",
    "trash": "Trash",
}


def remote_order(body: Any) -> RemoteOrder:
    """The order the body describes; :class:`InvalidInbound` names the first field that is wrong."""
    order = as_object(body, "body")
    remote_id = str(whole_number(order.get("id"), "id", 1, MAX_ID))
    number = text(order.get("number"), "number", 64) or remote_id
    status_slug = text(order.get("status"), "status", 64)
    meta = as_list(order.get("meta_data"), "meta_data")
    payment_method = text(order.get("payment_method"), "payment_method", 200)
    phone = _phone(order)
    skipped: SkipReason | None = None
    if payment_method not in COD_METHODS:
        skipped = SkipReason.not_cash_on_delivery
    elif phone is None:
        skipped = SkipReason.no_phone
    new_order = None
    items: tuple[NewItem, ...] = ()
    if skipped is None:
        try:
            items = _items(order)
        except TooManyItems:
            skipped = SkipReason.too_many_items
    if skipped is None and phone is not None:
        # Read only for an order taken in: a card-paid download has no city, and needs none.
        delivery = delivery_of(order)
        new_order = NewOrder(
            external_id=number,
            phone=phone,
            customer_name=_name(order),
            items=items,
            total=money(order.get("total"), "total"),
            currency=_currency(order.get("currency")),
            payment=Payment.cod,
            carrier=delivery.carrier,
            city=delivery.city,
            point=delivery.point,
            address=delivery.address,
            language=_language(meta),
            created_at=_utc(order.get("date_created_gmt"), "date_created_gmt"),
        )
    return RemoteOrder(
        remote_id=remote_id,
        number=number,
        updated_at=_utc(order.get("date_modified_gmt"), "date_modified_gmt"),
        order=new_order,
        skipped=skipped,
        status=INBOUND_STATUSES.get(status_slug or ""),
        status_comment=STATUS_LABELS.get(status_slug or "", status_slug),
        tracking=tracking_of(order, order_carrier(order)),
    )


def _phone(order: JsonObject) -> str | None:
    """The billing phone (the checkout's phone field: who ordered), else the shipping one (WC 5.6+).

    A number that is not a phone is treated as none: the order is skipped as ``no_phone``, so a
    customer's typo never makes the webhook fail (WooCommerce disables a webhook after 5 failures).
    """
    for part in ("billing", "shipping"):
        address = optional_object(order, part, part)
        raw = text(address.get("phone"), f"{part}.phone", 64)
        if raw is None:
            continue
        # A number written without its country code is read in the address's country.
        country = text(address.get("country"), f"{part}.country", 8) or ""
        region = country.upper() if len(country) == 2 and country.isalpha() else DEFAULT_REGION
        try:
            return normalise_phone(raw, region)
        except InvalidPhone:
            continue
    return None


def _name(order: JsonObject) -> str:
    """The recipient (shipping name), else who paid (billing name), else the billing company."""
    for part in ("shipping", "billing"):
        address = optional_object(order, part, part)
        first = text(address.get("first_name"), f"{part}.first_name", 100)
        last = text(address.get("last_name"), f"{part}.last_name", 100)
        name = " ".join(n for n in (first, last) if n)
        if name:
            return name
    company = text(
        optional_object(order, "billing", "billing").get("company"), "billing.company", 200
    )
    if company:
        return company
    raise InvalidInbound(
        "billing.first_name", "the order names nobody (no first, last or company name)"
    )


def _items(order: JsonObject) -> tuple[NewItem, ...]:
    lines = as_list(order.get("line_items"), "line_items")
    if not lines:
        raise InvalidInbound("line_items", "the order has no items")
    if len(lines) > MAX_ITEMS:
        # Refused rather than cut: a customer must confirm the whole order or none of it.
        raise TooManyItems("line_items", f"has {len(lines)} items; Vykup takes at most {MAX_ITEMS}")
    return tuple(_item(line, f"line_items[{index}]") for index, line in enumerate(lines))


def _item(value: Any, field: str) -> NewItem:
    line = as_object(value, field)
    name = text(line.get("name"), f"{field}.name", 300)
    if name is None:
        raise InvalidInbound(f"{field}.name", "is empty")
    quantity = whole_number(line.get("quantity"), f"{field}.quantity", 1, MAX_QUANTITY)
    # ``subtotal`` is the line before discounts, as a decimal string; ``price`` is a float that may
    # carry binary noise, so the unit price is computed from the string.
    subtotal = money(line.get("subtotal"), f"{field}.subtotal")
    price = (subtotal / quantity).quantize(CENT, rounding=ROUND_HALF_UP)
    return NewItem(
        name=name,
        quantity=quantity,
        price=price,
        sku=text(line.get("sku"), f"{field}.sku", 64),
    )


def _currency(value: Any) -> str:
    code = text(value, "currency", 3)
    if code is None:
        raise InvalidInbound("currency", "is missing")
    try:
        return normalise_currency(code)
    except InvalidCurrency as error:
        raise InvalidInbound("currency", str(error)) from None


def _language(meta: list[Any]) -> Language | None:
    for key in LANGUAGE_META:
        value = meta_value(meta, key)
        if isinstance(value, str) and len(value) <= 16:
            return supported(value)
    return None


def modified_at(order: Any) -> datetime | None:
    """When the order last changed (UTC), read on its own: the catch-up moves past an order
    even when the rest of it cannot be read."""
    return (
        _utc(order.get("date_modified_gmt"), "date_modified_gmt")
        if isinstance(order, dict)
        else None
    )


def _utc(value: Any, field: str) -> datetime | None:
    """``2017-03-22T19:28:08`` (the ``*_gmt`` fields: UTC without an offset) as an aware datetime."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidInbound(field, "must be a date like 2017-03-22T19:28:08")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInbound(field, f"{value!r} is not a date like 2017-03-22T19:28:08") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
