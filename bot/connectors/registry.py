"""Every platform a shop can connect, by name: adding one is a package and a line here."""

from __future__ import annotations

from bot.connectors.base import Adapter, Platform
from bot.connectors.keycrm import KeyCrmAdapter
from bot.connectors.shopify import ShopifyAdapter
from bot.connectors.woocommerce import WooCommerceAdapter


def all_adapters() -> dict[Platform, Adapter]:
    adapters: list[Adapter] = [WooCommerceAdapter(), ShopifyAdapter(), KeyCrmAdapter()]
    return {adapter.platform: adapter for adapter in adapters}
