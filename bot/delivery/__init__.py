"""Delivery: the outbox worker that sends queued messages to Telegram and the shop's webhook."""

from bot.delivery.sender import DeliveryStats
from bot.delivery.webhooks import sign
from bot.delivery.worker import OutboxWorker

__all__ = ["DeliveryStats", "OutboxWorker", "sign"]
