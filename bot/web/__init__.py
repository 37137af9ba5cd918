"""The aiohttp application: the shop API, health, and (later) webhooks and metrics."""
