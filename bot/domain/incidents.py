"""Things a person must fix, which the managers hear of once per incident, and when it clears."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final


class IncidentKind(StrEnum):
    # The shop's endpoint kept refusing deliveries past WEBHOOK_GIVE_UP, or answered 410 Gone.
    shop_webhooks = "shop_webhooks"
    # Messages waited in the outbox past OUTBOX_STALE_AFTER (Telegram refusing, the worker stuck).
    outbox_stale = "outbox_stale"
    # Nova Poshta answered that the API key is wrong or expired.
    novaposhta_key = "novaposhta_key"
    # Ukrposhta refused the StatusTracking token (HTTP 401/403).
    ukrposhta_key = "ukrposhta_key"
    # The Bot API answered 401: the bot's token is wrong or revoked (told after it works again).
    telegram_token = "telegram_token"
    # The database could not be reached for over DATABASE_OUTAGE_TOLD_AFTER (told after it is back).
    database = "database"
    # Viber/SMS stopped for the month: OUTREACH_MONTHLY_BUDGET is spent (detail: the month).
    outreach_budget = "outreach_budget"
    # The Viber/SMS provider refuses to send: its token, a sender name, or the account's balance.
    outreach_provider = "outreach_provider"


# A delivery the shop has refused this long tells the managers (it is still retried).
SHOP_FAILING_ALERT_AFTER: Final = timedelta(hours=1)
# A message waiting this long to be sent (or a retry overdue this long) opens outbox_stale.
OUTBOX_STALE_AFTER: Final = timedelta(minutes=15)
# Shorter database outages (a restart, a failover) are not worth a message.
DATABASE_OUTAGE_TOLD_AFTER: Final = timedelta(minutes=1)
DEFAULT_WEBHOOK_GIVE_UP: Final = timedelta(days=3)
# Below an hour, a shop's ordinary deploy or restart would already cost it events.
MINIMUM_WEBHOOK_GIVE_UP: Final = timedelta(hours=1)


def past_give_up(
    created_at: datetime, next_attempt_at: datetime, give_up: timedelta | None
) -> bool:
    """Would the next attempt come after the delivery should have been given up?"""
    return give_up is not None and next_attempt_at > created_at + give_up
