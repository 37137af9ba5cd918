"""A Shopify order (the REST Order object an ``orders/*`` webhook carries) read as a
:class:`RemoteOrder`. Pure: no I/O.

Field names follow the refdata samples (``shopify-order.rest-2026-07.shopify-app-js.json`` and
the two ``shopify_python_api`` fixtures). Where an order was edited or partly refunded, the
``current_*`` fields (``current_quantity``, ``current_total_price``) tell what is still to be
paid on delivery, so they win over the fields as first placed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from bot.connectors.base import InvalidInbound, RemoteOrder, SkipReason, TooManyItems
from bot.connectors.shopify.delivery import destination, tracking
from bot.connectors.shopify.reading import Obj
from bot.domain.languages import supported
from bot.domain.money import InvalidCurrency, normalise_currency
from bot.domain.new_order import (
    EXTERNAL_ID_LENGTH,
    ITEM_NAME_LENGTH,
    MAX_ITEMS,
    MAX_QUANTITY,
    NAME_LENGTH,
    PHONE_LENGTH,
    SKU_LENGTH,
    NewItem,
    NewOrder,
)
from bot.domain.orders import OrderStatus, Payment
from bot.domain.phones import InvalidPhone, normalise_phone

# Shopify's name for a product's only variant: not worth repeating after the title.
DEFAULT_VARIANT: Final = "Default Title"
# The manual payment method Shopify offers as "Cash on Delivery (COD)" is recorded under that
# name in ``payment_gateway_names`` (and as the transaction's gateway), as Shopify community
# threads (community.shopify.com/t/processing-method-is-blank-instead-of-manual/110957) and
# order-webhook handlers in public repositories show; "cash_on_delivery" is the spelling some
# apps write. A shop with its own manual method ("Накладений платіж") names it in
# ``options["cod_gateways"]`` (comma-separated).
COD_GATEWAYS: Final = frozenset({"cash on delivery (cod)", "cash_on_delivery"})
PHONE_FIELDS: Final = (
    ("phone",),
    ("customer", "phone"),
    ("shipping_address", "phone"),
    ("billing_address", "phone"),
)


def cod_gateways(options: Mapping[str, str]) -> frozenset[str]:
    extra = options.get("cod_gateways", "")
    return COD_GATEWAYS | {name.strip().casefold() for name in extra.split(",") if name.strip()}


def _phone(order: Obj) -> str | None:
    """The first of the order's phones that is a valid number, in E.164."""
    for path in PHONE_FIELDS:
        holder: Obj | None = order
        for key in path[:-1]:
            holder = holder.obj(key) if holder else None
        if holder is None:
            continue
        raw = holder.text(path[-1])
        if raw is None or len(raw) > PHONE_LENGTH:
            continue
        try:
            return normalise_phone(raw)
        except InvalidPhone:
            continue
    return None


def _person(holder: Obj | None) -> str | None:
    if holder is None:
        return None
    name = holder.text("name")
    if name:
        return name
    parts = [holder.text("first_name"), holder.text("last_name")]
    return " ".join(p for p in parts if p) or None


def _name(order: Obj) -> str | None:
    for key in ("shipping_address", "customer", "billing_address"):
        name = _person(order.obj(key))
        if name:
            return name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1] + "…"
    return None


def _item(line: Obj, quantity: int) -> NewItem:
    title = line.required_text("title")
    variant = line.text("variant_title")
    name = f"{title} - {variant}" if variant and variant != DEFAULT_VARIANT else title
    if len(name) > ITEM_NAME_LENGTH:
        name = name[: ITEM_NAME_LENGTH - 1] + "…"
    price = line.amount("price")
    if price is None:
        raise InvalidInbound(line.where("price"), "is required")
    return NewItem(
        name=name, quantity=quantity, price=price, sku=line.text("sku", max_length=SKU_LENGTH)
    )


def _items(order: Obj) -> tuple[NewItem, ...]:
    if order.raw("line_items") is None:
        raise InvalidInbound("line_items", "is required")
    lines = order.objs("line_items")
    if len(lines) > MAX_ITEMS:
        raise TooManyItems(
            "line_items", f"has {len(lines)} lines; Vykup takes orders of at most {MAX_ITEMS}"
        )
    placed: list[tuple[Obj, int]] = []
    current: list[tuple[Obj, int]] = []
    for line in lines:
        quantity = line.whole("quantity", minimum=0, maximum=MAX_QUANTITY)
        if quantity is None:
            raise InvalidInbound(line.where("quantity"), "is required")
        left = line.whole("current_quantity", minimum=0, maximum=MAX_QUANTITY)
        if quantity:
            placed.append((line, quantity))
        if (quantity if left is None else left) > 0:
            current.append((line, quantity if left is None else left))
    # Lines removed by an edit or refunded have current_quantity 0; when nothing is left at all
    # the order is read as it was placed (its cancellation comes as a status).
    chosen = current or placed
    if not chosen:
        raise InvalidInbound("line_items", "has no item with a quantity")
    return tuple(_item(line, quantity) for line, quantity in chosen)


def _remote_id(order: Obj) -> str:
    value = order.raw("id")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInbound("id", "must be a whole number")
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 20 or int(text) <= 0:
        raise InvalidInbound("id", "must be a positive whole number")
    return str(int(text))


def _currency(order: Obj) -> str:
    text = order.required_text("currency", max_length=8)
    try:
        return normalise_currency(text)
    except InvalidCurrency as exc:
        raise InvalidInbound("currency", str(exc)) from None


def _total(order: Obj) -> Decimal:
    # Both are read (and so checked); what is still to be paid wins.
    current = order.amount("current_total_price")
    placed = order.amount("total_price")
    if current is not None:
        return current
    if placed is not None:
        return placed
    raise InvalidInbound("total_price", "is required")


def remote_order(body: Mapping[str, Any], options: Mapping[str, str]) -> RemoteOrder:
    """Read one REST order; raise :class:`InvalidInbound` naming the first bad field."""
    order = Obj(body)
    remote_id = _remote_id(order)
    number = order.required_text("name", max_length=EXTERNAL_ID_LENGTH)
    updated_at = order.timestamp("updated_at")
    created_at = order.timestamp("created_at")
    try:
        items: tuple[NewItem, ...] | None = _items(order)
    except TooManyItems:
        items = None
    total = _total(order)
    currency = _currency(order)
    gateways = {name.casefold() for name in order.texts("payment_gateway_names")}
    where = destination(order, options)
    shipped = tracking(order)
    cancelled = order.timestamp("cancelled_at") is not None
    status = OrderStatus.cancelled if cancelled else None
    comment = order.text("cancel_reason", max_length=100) if cancelled else None
    language = supported(order.text("customer_locale", max_length=35))
    phone = _phone(order)
    name = _name(order)

    skipped: SkipReason | None = None
    if phone is None:
        skipped = SkipReason.no_phone
    elif not gateways & cod_gateways(options):
        skipped = SkipReason.not_cash_on_delivery
    elif items is None:
        skipped = SkipReason.too_many_items
    new_order: NewOrder | None = None
    if skipped is None:
        assert phone is not None and items is not None
        if name is None:
            raise InvalidInbound("shipping_address.name", "no name in the order's addresses")
        if where.city is None:
            raise InvalidInbound("shipping_address.city", "is required for delivery")
        new_order = NewOrder(
            external_id=number,
            phone=phone,
            customer_name=name,
            items=items,
            total=total,
            currency=currency,
            payment=Payment.cod,
            carrier=where.carrier,
            city=where.city,
            point=where.point,
            address=where.address,
            language=language,
            created_at=created_at,
        )
    return RemoteOrder(
        remote_id=remote_id,
        number=number,
        updated_at=updated_at,
        order=new_order,
        skipped=skipped,
        status=status,
        status_comment=comment,
        tracking=shipped,
    )
