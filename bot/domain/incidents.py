"""Things a person must fix, which the managers hear of once per incident, and when it clears."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final


class IncidentKind(StrEnum):
    # The shop's endpoint kept refusing deliveries past WEBHOOK_GIVE_UP, or answered 410 Gone.
    shop_webhooks = "shop_webhooks"


# A delivery the shop has refused this long tells the managers (it is still retried).
SHOP_FAILING_ALERT_AFTER: Final = timedelta(hours=1)
DEFAULT_WEBHOOK_GIVE_UP: Final = timedelta(days=3)
# Below an hour, a shop's ordinary deploy or restart would already cost it events.
MINIMUM_WEBHOOK_GIVE_UP: Final = timedelta(hours=1)


def past_give_up(
    created_at: datetime, next_attempt_at: datetime, give_up: timedelta | None
) -> bool:
    """Would the next attempt come after the delivery should have been given up?"""
    return give_up is not None and next_attempt_at > created_at + give_up
