"""Open and clear incidents: the managers hear of each once, and once more when it clears."""

from __future__ import annotations

from datetime import datetime

from bot.domain.incidents import IncidentKind
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.texts import incidents as texts
from storage.models import Incident
from storage.uow import UnitOfWork


async def report(
    uow: UnitOfWork,
    ctx: ServiceContext,
    kind: IncidentKind,
    detail: str,
    *,
    since: datetime | None = None,
    notify: bool = True,
) -> bool:
    """Record that it happened (again); tell the managers if it was not open. True if new.

    ``since``: when it began, if before now; ``notify=False`` only records it (its alert could
    not be delivered: the clearing message tells the whole story).
    """
    now = uow.clock.now()
    began = since if since is not None and since < now else now
    incident = await uow.incidents.get(kind.value)
    if incident is not None and incident.resolved_at is None:
        incident.occurrences += 1
        incident.detail = detail
        return False
    if incident is None:
        uow.incidents.add(Incident(kind=kind.value, opened_at=began, occurrences=1, detail=detail))
    else:
        incident.opened_at, incident.resolved_at = began, None
        incident.occurrences, incident.detail = 1, detail
    if notify:
        notifier = Notifier(uow, ctx)
        t = notifier.managers_translator
        notifier.to_operators(texts.opened(t, kind, detail, began, now))
    return True


async def is_open(uow: UnitOfWork, kind: IncidentKind) -> bool:
    incident = await uow.incidents.get(kind.value)
    return incident is not None and incident.resolved_at is None


async def clear(uow: UnitOfWork, ctx: ServiceContext, kind: IncidentKind) -> bool:
    """Close it if open, telling the managers. True if it was open."""
    incident = await uow.incidents.get(kind.value)
    if incident is None or incident.resolved_at is not None:
        return False
    incident.resolved_at = now = uow.clock.now()
    notifier = Notifier(uow, ctx)
    t = notifier.managers_translator
    notifier.to_operators(texts.resolved(t, kind, incident.opened_at, now))
    return True


async def record_past(
    uow: UnitOfWork,
    ctx: ServiceContext,
    kind: IncidentKind,
    *,
    since: datetime,
    until: datetime,
    detail: str,
) -> bool:
    """One that could only be seen once over (the database was away): stored and told at once.

    Every process that lived through it reports its own sighting; one that overlaps the outage
    already stored is the same outage, widened silently. True if told.
    """
    incident = await uow.incidents.get(kind.value)
    if incident is None:
        incident = Incident(kind=kind.value, opened_at=since, resolved_at=until, occurrences=0)
        uow.incidents.add(incident)
    elif incident.resolved_at is not None and _overlap(incident, since, until):
        incident.opened_at = min(incident.opened_at, since)
        incident.resolved_at = max(incident.resolved_at, until)
        return False
    incident.opened_at, incident.resolved_at, incident.detail = since, until, detail
    incident.occurrences = (incident.occurrences or 0) + 1
    notifier = Notifier(uow, ctx)
    notifier.to_operators(texts.resolved(notifier.managers_translator, kind, since, until))
    return True


def _overlap(incident: Incident, since: datetime, until: datetime) -> bool:
    assert incident.resolved_at is not None
    return since <= incident.resolved_at and incident.opened_at <= until
