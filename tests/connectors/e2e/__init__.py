"""A connected platform end to end: its webhooks → the real bot and Telegram → its order updated."""
