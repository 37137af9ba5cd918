"""KeyCRM (keycrm.app), a Ukrainian CRM: orders in by trigger webhooks, events back by its API."""

from bot.connectors.keycrm.adapter import KeyCrmAdapter

__all__ = ["KeyCrmAdapter"]
