"""The shop's events read back (``GET /api/v1/events``): what the webhooks carry, in the order they
committed.

An event is an outbox row for the shop (delivered by webhook, waiting, failed, or only recorded
when there is no SHOP_WEBHOOK_URL); its id is the webhook's ``evt_<row id>`` and its body the one
delivered, so a shop may mix webhooks and catch-up without acting twice on one event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.event_position import EventPosition
from bot.domain.shop_events import event_id, with_identity
from storage.uow import Database


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[dict[str, Any]]  # as the webhook delivers them: ``id`` and ``type`` first
    last: EventPosition  # where to go on from: the last event's position, or the one given
    has_more: bool


async def events_after(db: Database, after: EventPosition, limit: int) -> EventPage:
    """Up to ``limit`` events past ``after``, in the order they were committed."""
    async with db.read() as uow:
        rows = await uow.outbox.events_after(after, limit + 1)
    page = rows[:limit]
    events = [with_identity(body, event_id(position.id)) for position, body in page]
    last = page[-1][0] if page else after
    return EventPage(events=events, last=last, has_more=len(rows) > limit)
