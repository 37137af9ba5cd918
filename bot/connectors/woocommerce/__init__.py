"""The WooCommerce connector: REST API v3 webhooks in, order status and notes out."""

from __future__ import annotations

from bot.connectors.woocommerce.adapter import WooCommerceAdapter

__all__ = ["WooCommerceAdapter"]
