"""Shopify connector tests."""
