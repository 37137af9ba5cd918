"""Who carries a WooCommerce order, to which city and branch, and its waybill once a plugin made one.

WooCommerce core knows only shipping lines (``method_id``) and an address; the carrier, the branch
and the waybill (ТТН) come from Ukrainian delivery plugins. Supported, each read in its source
through the code index (facts only):

- "Shipping Nova Poshta for WooCommerce" (WP Unit): method ``shipping_nova_poshta_for_woocommerce``
  (older ``woo_nova_poshta``); the shipping line's meta ``city_id``/``warehouse_id`` are Nova Poshta
  refs (not text, so unused) and ``internet_document`` is the waybill (its order helpers
  ``nova_poshta_order_get_internet_document()`` and the checkout's shipping-item handler).
- "Nova Poshta TTN" (Morkva): method ``nova_poshta_shipping_method`` (and
  ``nova_poshta_shipping_method_poshtomat`` for parcel lockers, ``NOVA_POSHTA_TTN_SHIPPING_METHOD``);
  the waybill in the order meta ``novaposhta_ttn``; Morkva's "UA Shipping" writes
  ``mrkv_ua_ship_invoice_number`` (read next to it in Morkva's receipt code).
- "WC Ukr Shipping" (kirillbdev): methods ``nova_poshta_shipping`` (``WC_UKR_SHIPPING_NP_SHIPPING_NAME``)
  and ``wcus_ukrposhta_shipping``; it keeps waybills in its own table, so none reaches the order.
- "WooCommerce Shipment Tracking" / "Advanced Shipment Tracking": the order meta
  ``_wc_shipment_tracking_items``, a list of ``{tracking_provider, custom_tracking_provider,
  tracking_number, …}`` (the last one is the newest).
- WooCommerce core: ``local_pickup`` and ``pickup_location`` (pickup), ``flat_rate`` and
  ``free_shipping`` (nothing says which carrier: ``other``).

Any other ``method_id`` naming a carrier (``…nova_poshta…``, ``…ukrposhta…``, ``…meest…``,
``…rozetka…``, ``…courier…``, ``…pickup…``) is read by that name. These plugins write the branch
("Відділення №1") into the address line, so for a branch carrier ``address_1`` is the point.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from bot.connectors.base import InvalidInbound, Tracking
from bot.connectors.woocommerce.reading import (
    JsonObject,
    as_list,
    as_object,
    meta_value,
    optional_object,
    text,
)
from bot.domain.new_order import ADDRESS_LENGTH, CITY_LENGTH, POINT_LENGTH
from bot.domain.orders import Carrier
from bot.domain.waybills import normalise_waybill

KNOWN_METHODS: Final[dict[str, Carrier]] = {
    "shipping_nova_poshta_for_woocommerce": Carrier.nova_poshta,
    "woo_nova_poshta": Carrier.nova_poshta,
    "nova_poshta_shipping_method": Carrier.nova_poshta,
    "nova_poshta_shipping_method_poshtomat": Carrier.nova_poshta,
    "nova_poshta_shipping": Carrier.nova_poshta,
    "wcus_ukrposhta_shipping": Carrier.ukrposhta,
    "local_pickup": Carrier.pickup,
    "pickup_location": Carrier.pickup,
}
# Checked in this order: a Nova Poshta courier method is still Nova Poshta's waybill.
NAMED_IN_METHOD: Final[tuple[tuple[tuple[str, ...], Carrier], ...]] = (
    (("nova_poshta", "novaposhta", "nova-poshta", "novapost", "nova_post"), Carrier.nova_poshta),
    (("ukrposhta", "ukr_poshta", "ukrpost"), Carrier.ukrposhta),
    (("meest",), Carrier.meest),
    (("rozetka",), Carrier.rozetka),
    (("courier", "kurier", "kur'er"), Carrier.courier),
    (("pickup",), Carrier.pickup),
)
BRANCH_CARRIERS: Final = frozenset(
    {Carrier.nova_poshta, Carrier.ukrposhta, Carrier.meest, Carrier.rozetka}
)
NUMBER_SHAPED: Final = (Carrier.nova_poshta, Carrier.ukrposhta)
ORDER_WAYBILL_KEYS: Final = ("novaposhta_ttn", "mrkv_ua_ship_invoice_number")
LINE_WAYBILL_KEY: Final = "internet_document"
TRACKING_ITEMS_KEY: Final = "_wc_shipment_tracking_items"


@dataclass(frozen=True)
class Delivery:
    carrier: Carrier
    city: str
    point: str | None
    address: str | None


def first_shipping_line(order: JsonObject) -> JsonObject:
    lines = as_list(order.get("shipping_lines"), "shipping_lines")
    if not lines:
        return {}
    return as_object(lines[0], "shipping_lines[0]")


def carrier_of(method_id: str | None) -> Carrier:
    if not method_id:
        return Carrier.other
    method = method_id.lower()
    if method in KNOWN_METHODS:
        return KNOWN_METHODS[method]
    for names, carrier in NAMED_IN_METHOD:
        if any(name in method for name in names):
            return carrier
    return Carrier.other


def order_carrier(order: JsonObject) -> Carrier:
    """The carrier of the order's first shipping line (an order ships with one)."""
    line = first_shipping_line(order)
    return carrier_of(text(line.get("method_id"), "shipping_lines[0].method_id", 200))


def delivery_of(order: JsonObject) -> Delivery:
    carrier = order_carrier(order)
    shipping = optional_object(order, "shipping", "shipping")
    billing = optional_object(order, "billing", "billing")
    # NewOrder needs a city: the shipping address's, else the billing one (a one-address checkout).
    city = text(shipping.get("city"), "shipping.city", CITY_LENGTH) or text(
        billing.get("city"), "billing.city", CITY_LENGTH
    )
    if city is None:
        raise InvalidInbound(
            "shipping.city", "the order has no city (neither shipping nor billing)"
        )
    source, prefix = (shipping, "shipping") if shipping.get("address_1") else (billing, "billing")
    line_1 = text(source.get("address_1"), f"{prefix}.address_1", ADDRESS_LENGTH)
    line_2 = text(source.get("address_2"), f"{prefix}.address_2", ADDRESS_LENGTH)
    if carrier in BRANCH_CARRIERS:
        point = text(line_1, f"{prefix}.address_1", POINT_LENGTH)
        return Delivery(carrier, city, point, None)
    address = ", ".join(part for part in (line_1, line_2) if part) or None
    if address is not None and len(address) > ADDRESS_LENGTH:
        raise InvalidInbound(
            f"{prefix}.address_1", f"must have at most {ADDRESS_LENGTH} characters"
        )
    return Delivery(carrier, city, None, address)


def tracking_of(order: JsonObject, carrier: Carrier) -> Tracking | None:
    """The waybill a plugin stored on the order, if it is a number of that carrier; else None.

    A malformed value is no reason to refuse the order: it is simply not a waybill yet.
    """
    meta = as_list(order.get("meta_data"), "meta_data")
    found = _tracking_items(meta_value(meta, TRACKING_ITEMS_KEY), carrier)
    if found is not None:
        return found
    for key in ORDER_WAYBILL_KEYS:
        found = _waybill(meta_value(meta, key), Carrier.nova_poshta)
        if found is not None:
            return found
    line_meta = first_shipping_line(order).get("meta_data")
    if isinstance(line_meta, list):
        return _waybill(meta_value(line_meta, LINE_WAYBILL_KEY), Carrier.nova_poshta)
    return None


def _tracking_items(items: Any, carrier: Carrier) -> Tracking | None:
    if not isinstance(items, list):
        return None
    for item in reversed(items):
        if not isinstance(item, dict):
            continue
        provider = " ".join(
            str(item.get(key) or "") for key in ("tracking_provider", "custom_tracking_provider")
        )
        named = (
            carrier_of(provider.replace(" ", "_").replace("-", "_")) if provider.strip() else None
        )
        found = _waybill(
            item.get("tracking_number"), named if named in BRANCH_CARRIERS else carrier
        )
        if found is not None:
            return found
    return None


def _waybill(value: Any, carrier: Carrier | None) -> Tracking | None:
    if not isinstance(value, str | int) or isinstance(value, bool) or carrier is None:
        return None
    raw = str(value)
    if len(raw) > 64:
        return None
    # Not a branch carrier ("flat_rate" shipping and a Nova Poshta plugin's waybill): the number's
    # shape tells whose it is before the loose "any other carrier" rule takes it.
    candidates = (carrier,) if carrier in BRANCH_CARRIERS else (*NUMBER_SHAPED, carrier)
    for candidate in candidates:
        number = normalise_waybill(candidate, raw)
        if number is not None:
            return Tracking(candidate, number)
    return None
