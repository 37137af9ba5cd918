"""WooCommerce connector tests."""
