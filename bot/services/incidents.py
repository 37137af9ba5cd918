"""Open and clear incidents: the managers hear of each once, and once more when it clears."""

from __future__ import annotations

from bot.domain.incidents import IncidentKind
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.texts import incidents as texts
from storage.models import Incident
from storage.uow import UnitOfWork


async def report(uow: UnitOfWork, ctx: ServiceContext, kind: IncidentKind, detail: str) -> bool:
    """Record that it happened (again); tell the managers if it was not open. True if new."""
    now = uow.clock.now()
    incident = await uow.incidents.get(kind.value)
    if incident is not None and incident.resolved_at is None:
        incident.occurrences += 1
        incident.detail = detail
        return False
    if incident is None:
        uow.incidents.add(Incident(kind=kind.value, opened_at=now, occurrences=1, detail=detail))
    else:
        incident.opened_at, incident.resolved_at = now, None
        incident.occurrences, incident.detail = 1, detail
    notifier = Notifier(uow, ctx)
    notifier.to_operators(texts.opened(notifier.managers_translator, kind, detail))
    return True


async def clear(uow: UnitOfWork, ctx: ServiceContext, kind: IncidentKind) -> bool:
    """Close it if open, telling the managers. True if it was open."""
    incident = await uow.incidents.get(kind.value)
    if incident is None or incident.resolved_at is not None:
        return False
    incident.resolved_at = uow.clock.now()
    notifier = Notifier(uow, ctx)
    notifier.to_operators(texts.resolved(notifier.managers_translator, kind))
    return True
