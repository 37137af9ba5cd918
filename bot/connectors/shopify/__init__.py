"""Shopify: order webhooks in, Vykup's events back as tags, notes and cancellations."""

from __future__ import annotations

from bot.connectors.shopify.adapter import ShopifyAdapter

__all__ = ["ShopifyAdapter"]
